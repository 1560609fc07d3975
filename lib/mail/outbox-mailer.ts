import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { Mailer, MailMessage } from "./mailer";

/**
 * A message's row in mail_outbox, made once per idempotency key (a retry finds
 * it there): the development outbox itself, and the SMTP mailer's delivery record.
 */
export async function recordMessage(db: PrismaClient, message: MailMessage, delivery: { sentAt?: Date; messageId?: string }) {
  await db.mailOutboxMessage.createMany({
    data: [{ orgId: message.orgId, toEmail: message.to, subject: message.subject, textBody: message.text, idempotencyKey: message.idempotencyKey, ...delivery }],
    skipDuplicates: true,
  });
}

/**
 * The development transport: nothing leaves the machine. Each message lands in
 * the mail_outbox table, readable at Admin > Mail outbox, once per idempotency key.
 */
export function outboxMailer(db: PrismaClient): Mailer {
  return {
    send: (message) => recordMessage(db, message, { sentAt: new Date() }),
  };
}
