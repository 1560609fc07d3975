-- Admin > Usage & Limits: invitations, alert delivery (in-app notifications,
-- signed webhooks, email to admins), and the development mail outbox.

-- Why an alert was resolved: usage fell back below the threshold ('usage'), or
-- the billing period it was raised in ended ('period_reset').
ALTER TABLE "usage_alerts" ADD COLUMN "cause" TEXT NOT NULL DEFAULT 'usage';

-- The reset sweep reads each counter's threshold history, newest last.
CREATE INDEX "usage_alerts_counter_threshold_idx" ON "usage_alerts"("org_id", "user_id", "metric", "period_start", "threshold", "id");
CREATE INDEX "usage_alerts_raised_idx" ON "usage_alerts"("period_start") WHERE "state" = 'raised';

-- An invitation holds a seat of its type until it is accepted, revoked or expires.
CREATE TABLE "invitations" (
    "id" TEXT NOT NULL,
    "org_id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "seat_type" "SeatType" NOT NULL,
    "token_hash" TEXT NOT NULL,
    "invited_by_id" TEXT,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "sent_count" INTEGER NOT NULL DEFAULT 1,
    "accepted_at" TIMESTAMPTZ(3),
    "accepted_user_id" TEXT,
    "revoked_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "invitations_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "invitations_token_hash_key" ON "invitations"("token_hash");
CREATE INDEX "invitations_org_id_idx" ON "invitations"("org_id");
-- One open invitation per address and org: a second invite is a Resend.
CREATE UNIQUE INDEX "invitations_open_email_key" ON "invitations"("org_id", lower("email"))
  WHERE "accepted_at" IS NULL AND "revoked_at" IS NULL;
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Where an org's usage alerts are posted, and the secret they are signed with.
CREATE TABLE "webhook_endpoints" (
    "org_id" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "secret" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "webhook_endpoints_pkey" PRIMARY KEY ("org_id")
);
ALTER TABLE "webhook_endpoints" ADD CONSTRAINT "webhook_endpoints_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The in-app notification list: one row per alert and recipient.
CREATE TABLE "notifications" (
    "id" BIGSERIAL NOT NULL,
    "org_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "alert_id" BIGINT NOT NULL,
    "read_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "notifications_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "notifications_alert_id_user_id_key" ON "notifications"("alert_id", "user_id");
CREATE INDEX "notifications_org_id_user_id_id_idx" ON "notifications"("org_id", "user_id", "id");
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_alert_id_fkey" FOREIGN KEY ("alert_id") REFERENCES "usage_alerts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Every attempt to deliver an alert by webhook or email, one row each. A failed
-- attempt schedules the next one as a new row, so this table is both the retry
-- queue and the delivery log.
CREATE TABLE "alert_deliveries" (
    "id" BIGSERIAL NOT NULL,
    "org_id" TEXT NOT NULL,
    "alert_id" BIGINT NOT NULL,
    "channel" TEXT NOT NULL,
    "recipient" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "payload" JSONB NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'scheduled',
    "scheduled_at" TIMESTAMPTZ(3) NOT NULL,
    "started_at" TIMESTAMPTZ(3),
    "lease_until" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "response_status" INTEGER,
    "error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "alert_deliveries_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "alert_deliveries_alert_id_channel_recipient_attempt_key" ON "alert_deliveries"("alert_id", "channel", "recipient", "attempt");
CREATE INDEX "alert_deliveries_org_id_id_idx" ON "alert_deliveries"("org_id", "id");
CREATE INDEX "alert_deliveries_due_idx" ON "alert_deliveries"("scheduled_at", "id") WHERE "state" = 'scheduled';
CREATE INDEX "alert_deliveries_sending_idx" ON "alert_deliveries"("lease_until") WHERE "state" = 'sending';
ALTER TABLE "alert_deliveries" ADD CONSTRAINT "alert_deliveries_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "alert_deliveries" ADD CONSTRAINT "alert_deliveries_alert_id_fkey" FOREIGN KEY ("alert_id") REFERENCES "usage_alerts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- What the development mailer "sent": shown in the app instead of leaving it.
CREATE TABLE "mail_outbox" (
    "id" BIGSERIAL NOT NULL,
    "org_id" TEXT NOT NULL,
    "to_email" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "text_body" TEXT NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "mail_outbox_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "mail_outbox_idempotency_key_key" ON "mail_outbox"("idempotency_key");
CREATE INDEX "mail_outbox_org_id_id_idx" ON "mail_outbox"("org_id", "id");
ALTER TABLE "mail_outbox" ADD CONSTRAINT "mail_outbox_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The audit trail is append-only: an entry, once written, never changes.
CREATE FUNCTION ledgerline_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_entries is append-only: entries are never updated';
END $$;

CREATE TRIGGER audit_entries_append_only BEFORE UPDATE ON "audit_entries"
  FOR EACH ROW EXECUTE FUNCTION ledgerline_audit_append_only();
