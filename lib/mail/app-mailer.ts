import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { Mailer } from "./mailer";
import { outboxMailer } from "./outbox-mailer";
import { mailFrom, smtpMailer, smtpTransport } from "./smtp-mailer";

/**
 * The mailer the app sends with: SMTP when SMTP_URL is set, else the
 * development outbox, which keeps every message in the app at Admin > Mail
 * outbox and sends nothing.
 */
export function appMailer(db: PrismaClient, env: Record<string, string | undefined> = process.env): Mailer {
  return sendsRealMail(env) ? smtpMailer(db, smtpTransport(env.SMTP_URL!.trim()), mailFrom(env)) : outboxMailer(db);
}

/** Whether mail leaves the app (SMTP_URL is set), or stays in the development outbox. */
export const sendsRealMail = (env: Record<string, string | undefined> = process.env) => Boolean(env.SMTP_URL?.trim());
