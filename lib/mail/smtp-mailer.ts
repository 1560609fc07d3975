import { createHash } from "node:crypto";
import nodemailer, { type Transporter } from "nodemailer";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { processSingleton } from "@/lib/process/singleton";
import type { Mailer, MailMessage } from "./mailer";
import { recordMessage } from "./outbox-mailer";

/** How long a sender may hold a message before another retry may take it (an SMTP send is bounded well within). */
const CLAIM_MS = 60_000;

/** Ledgerline <no-reply@host of APP_URL>, unless MAIL_FROM says otherwise. */
export function mailFrom(env: Record<string, string | undefined> = process.env): string {
  if (env.MAIL_FROM?.trim()) return env.MAIL_FROM.trim();
  const host = URL.canParse(env.APP_URL ?? "") ? new URL(env.APP_URL!).hostname : "localhost";
  return `Ledgerline <no-reply@${host}>`;
}

/** The Message-ID a message is sent with: the same for every retry of it, so a receiver can tell a repeat. */
export function messageIdFor(message: Pick<MailMessage, "orgId" | "idempotencyKey">, from: string): string {
  const domain = /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? "ledgerline.invalid";
  const id = createHash("sha256").update(`${message.orgId}\u0000${message.idempotencyKey}`).digest("hex").slice(0, 32);
  return `<${id}@${domain}>`;
}

/**
 * Sends through SMTP (Nodemailer), each message once across retries: its row
 * in mail_outbox, made on the first attempt, is claimed for the send and marked
 * sent when the server accepts it. A retry of a sent message sends nothing; a
 * retry while another attempt holds the claim fails, to be retried later; a
 * sender that died mid-send leaves its claim to lapse, and the retry after it
 * sends again with the same Message-ID.
 */
export function smtpMailer(db: PrismaClient, transport: Transporter, from = mailFrom()): Mailer {
  return {
    async send(message) {
      const messageId = messageIdFor(message, from);
      const row = { orgId: message.orgId, idempotencyKey: message.idempotencyKey };
      await recordMessage(db, message, { messageId });
      const now = new Date();
      const claimed = await db.mailOutboxMessage.updateMany({
        where: { ...row, sentAt: null, OR: [{ sendingUntil: null }, { sendingUntil: { lt: now } }] },
        data: { sendingUntil: new Date(now.getTime() + CLAIM_MS) },
      });
      if (!claimed.count) {
        const recorded = await db.mailOutboxMessage.findFirst({ where: row, select: { sentAt: true } });
        if (recorded?.sentAt) return;
        throw new Error("This message is being sent by another attempt; try again shortly.");
      }
      try {
        await transport.sendMail({ from, to: message.to, subject: message.subject, text: message.text, messageId });
      } catch (error) {
        await db.mailOutboxMessage.updateMany({ where: row, data: { sendingUntil: null } });
        throw error;
      }
      await db.mailOutboxMessage.updateMany({ where: row, data: { sentAt: new Date(), sendingUntil: null } });
    },
  };
}

/**
 * The process's SMTP transport for SMTP_URL (smtp://user:pass@host:587, smtps://... for TLS from
 * the start), one per URL, with bounded waits.
 */
export function smtpTransport(url: string): Transporter {
  const transports = processSingleton("smtp-transports", () => new Map<string, Transporter>());
  if (!transports.has(url)) transports.set(url, nodemailer.createTransport(url, { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 }));
  return transports.get(url)!;
}
