-- Every message the app sends has one row in mail_outbox, whatever its transport: the development
-- outbox keeps it there, the SMTP mailer records its delivery there too (lib/mail/smtp-mailer.ts).
-- sent_at: when the transport accepted it (a retry of a sent message sends nothing);
-- sending_until: a sender's claim, so two retries never send it at once;
-- message_id: the Message-ID it went out with, made from its idempotency key.
ALTER TABLE "mail_outbox" ADD COLUMN "sent_at" TIMESTAMPTZ(3);
ALTER TABLE "mail_outbox" ADD COLUMN "sending_until" TIMESTAMPTZ(3);
ALTER TABLE "mail_outbox" ADD COLUMN "message_id" TEXT;
