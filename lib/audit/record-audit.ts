import type { Prisma } from "@/lib/generated/prisma/client";
import type { Tx } from "@/lib/metering/types";

/**
 * One row of the org's audit trail: who or what acted (`user:<id>`,
 * `stripe:<event id>`), what it did, and the state before and after. Written
 * in the caller's transaction so the trail never disagrees with the change.
 */
export interface AuditRecord {
  orgId: string;
  actor: string;
  /** A past-tense verb phrase in snake_case: plan_changed, ai_paused, credits_granted. */
  action: string;
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
}

export async function recordAudit(tx: Tx, record: AuditRecord) {
  await tx.auditEntry.create({
    data: {
      orgId: record.orgId,
      actor: record.actor,
      action: record.action,
      before: asJson(record.before),
      after: asJson(record.after),
    },
  });
}

/** Dates become ISO strings, as they would in any JSON we send. */
function asJson(value: Record<string, unknown> | undefined): Prisma.InputJsonObject | undefined {
  return value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as Prisma.InputJsonObject);
}
