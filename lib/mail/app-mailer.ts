import type { Transporter } from "nodemailer";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { processSingleton } from "@/lib/process/singleton";
import type { Mailer } from "./mailer";
import { outboxMailer } from "./outbox-mailer";
import { mailFrom, smtpMailer, smtpTransport } from "./smtp-mailer";

/**
 * The mailer the app sends with: SMTP when SMTP_URL is set (one transport per
 * process and URL), else the development outbox, which keeps every message in
 * the app at Admin > Mail outbox and sends nothing.
 */
export function appMailer(db: PrismaClient, env: Record<string, string | undefined> = process.env): Mailer {
  const url = env.SMTP_URL?.trim();
  if (!url) return outboxMailer(db);
  const transports = processSingleton("smtp-transports", () => new Map<string, Transporter>());
  if (!transports.has(url)) transports.set(url, smtpTransport(url));
  return smtpMailer(db, transports.get(url)!, mailFrom(env));
}
