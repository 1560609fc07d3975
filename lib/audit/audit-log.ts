import type { PrismaClient } from "@/lib/generated/prisma/client";
import { formatMicros } from "@/lib/format";
import { AUTO_TOP_UP_ACTOR } from "@/lib/metering/auto-top-up";

/**
 * Admin > Audit log: the org's append-only trail, newest first, worded. Only
 * admins read it, so money is shown in dollars. Pages go back by entry id.
 */

export interface AuditChangeView {
  field: string;
  before: string | null;
  after: string | null;
}

export interface AuditEntryView {
  id: string;
  at: string;
  actor: string;
  action: string;
  changes: AuditChangeView[];
}

export interface AuditPage {
  entries: AuditEntryView[];
  /** The cursor for older entries, or null on the last page. */
  olderThan: string | null;
}

const PAGE = 50;

const ACTIONS: Record<string, string> = {
  allocation_changed: "Changed a member's allocations",
  invitation_sent: "Invited a member",
  invitation_resent: "Resent an invitation",
  invitation_revoked: "Revoked an invitation",
  invitation_accepted: "Accepted an invitation",
  seat_changed: "Changed a member's seat",
  member_removed: "Removed a member",
  api_key_created: "Created an API key",
  api_key_revoked: "Revoked an API key",
  alert_webhook_changed: "Set the alert webhook",
  alert_webhook_removed: "Removed the alert webhook",
  alert_webhook_secret_rotated: "Rotated the alert webhook secret",
  plan_changed: "Plan changed",
  billing_anchor_moved: "Billing date moved",
  credits_granted: "AI credits granted",
  ai_paused: "AI access paused",
  ai_restored: "AI access restored",
  auto_top_up_changed: "Changed auto top-up",
  auto_top_up_succeeded: "Auto top-up credited",
  auto_top_up_failed: "Auto top-up failed",
  auto_top_up_refused: "Auto top-up refused (monthly cap)",
};

const FIELDS: Record<string, string> = {
  member: "Member",
  aiAllocationMicros: "AI allocation",
  enrichmentAllocation: "Enrichment allocation",
  seatType: "Seat",
  invitation: "Invitation",
  key: "Key",
  prefix: "Key starts",
  url: "URL",
  thresholdMicros: "Threshold",
  amountMicros: "Amount",
  monthlyCapMicros: "Monthly cap",
  boughtThisMonthMicros: "Bought this month",
  balanceMicros: "Balance",
  topUpId: "Top-up",
  paymentIntentId: "Payment",
};

/** "billing_anchor_moved" or "billingInterval" -> "Billing anchor moved", "Billing interval". */
function humanize(name: string): string {
  const words = name.replace(/_/g, " ").replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const ALLOCATIONS = new Set(["aiAllocationMicros", "enrichmentAllocation"]);

function show(field: string, value: unknown, nameOf: (id: string) => string): string | null {
  if (value === undefined) return null;
  if (value === null) return ALLOCATIONS.has(field) ? "Shares the pool" : "none";
  if (field === "member" && typeof value === "string") return nameOf(value);
  if (field.endsWith("Micros") && typeof value === "number") return formatMicros(value);
  if (typeof value === "number") return value.toLocaleString("en-US");
  if (typeof value === "string" && /^\d{4}-\d\d-\d\dT/.test(value)) return `${value.slice(0, 16).replace("T", " ")} UTC`;
  return typeof value === "string" ? value : JSON.stringify(value);
}

export async function readAuditLog(db: PrismaClient, orgId: string, olderThan?: bigint): Promise<AuditPage> {
  const [rows, members] = await Promise.all([
    db.auditEntry.findMany({ where: { orgId, ...(olderThan ? { id: { lt: olderThan } } : {}) }, orderBy: { id: "desc" }, take: PAGE + 1 }),
    db.membership.findMany({ where: { orgId }, select: { userId: true, user: { select: { name: true } } } }),
  ]);
  const nameOf = (userId: string) => members.find((m) => m.userId === userId)?.user.name ?? `former member ${userId}`;
  const actorOf = (actor: string) => {
    const [kind, id] = actor.split(/:(.*)/s);
    if (kind === "user") return nameOf(id);
    if (kind === "stripe") return `Stripe (${id})`;
    if (actor === AUTO_TOP_UP_ACTOR) return "Ledgerline (auto top-up)";
    return actor;
  };
  const entries = rows.slice(0, PAGE).map((row) => {
    const before = (row.before ?? {}) as Record<string, unknown>;
    const after = (row.after ?? {}) as Record<string, unknown>;
    const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return {
      id: String(row.id),
      at: `${row.createdAt.toISOString().slice(0, 19).replace("T", " ")} UTC`,
      actor: actorOf(row.actor),
      action: ACTIONS[row.action] ?? humanize(row.action),
      changes: fields.map((field) => ({ field: FIELDS[field] ?? humanize(field), before: show(field, before[field], nameOf), after: show(field, after[field], nameOf) })),
    };
  });
  return { entries, olderThan: rows.length > PAGE ? entries.at(-1)!.id : null };
}
