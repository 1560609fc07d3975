import type { PrismaClient } from "@/lib/generated/prisma/client";

/** Admin > Mail outbox: every message sent for this org (the development outbox and SMTP alike), newest first. */

export interface OutboxMessageView {
  id: string;
  to: string;
  subject: string;
  text: string;
  at: string;
}

const SHOWN = 50;

export async function readMailOutbox(db: PrismaClient, orgId: string): Promise<OutboxMessageView[]> {
  const rows = await db.mailOutboxMessage.findMany({ where: { orgId }, orderBy: { id: "desc" }, take: SHOWN });
  return rows.map((row) => ({
    id: String(row.id),
    to: row.toEmail,
    subject: row.subject,
    text: row.textBody,
    at: `${row.createdAt.toISOString().slice(0, 19).replace("T", " ")} UTC`,
  }));
}
