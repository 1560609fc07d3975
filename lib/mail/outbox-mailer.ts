import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { Mailer } from "./mailer";

/**
 * The development transport: nothing leaves the machine. Each message lands in
 * the mail_outbox table, readable at Admin > Mail outbox, once per idempotency key.
 */
export function outboxMailer(db: PrismaClient): Mailer {
  return {
    async send(message) {
      await db.mailOutboxMessage.createMany({
        data: [{ orgId: message.orgId, toEmail: message.to, subject: message.subject, textBody: message.text, idempotencyKey: message.idempotencyKey, sentAt: new Date() }],
        skipDuplicates: true,
      });
    },
  };
}
