import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { Mailer } from "./mailer";
import { outboxMailer } from "./outbox-mailer";

/**
 * The mailer the app sends with. This repository ships the development outbox
 * only; a deployment that sends real mail returns its transport's Mailer here.
 */
export function appMailer(db: PrismaClient): Mailer {
  return outboxMailer(db);
}
