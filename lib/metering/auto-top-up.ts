import { recordAudit } from "@/lib/audit/record-audit";
import { ADMIN_ROLES } from "@/lib/auth/roles";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { TX_OPTIONS, type Tx } from "./types";

/**
 * Auto top-up of prepaid AI credits: "when credits fall below $X, buy $Y, at
 * most $Z a month". The store decides when to buy (ledgerline_auto_top_up,
 * called by settle under the org's credit account lock, so racing settles
 * open one top-up per crossing); lib/stripe sends it and credits it. This
 * module holds the settings, the top-ups' reads, and a failure's record,
 * shared by the sender and the webhook. docs/auto-top-up.md has the rules.
 */

export interface AutoTopUpSettings {
  enabled: boolean;
  thresholdMicros: number;
  amountMicros: number;
  monthlyCapMicros: number;
}

export type TopUpStatus = "pending" | "sent" | "succeeded" | "failed" | "refused";

export interface TopUp {
  id: string;
  status: TopUpStatus;
  amountMicros: number;
  paymentIntentId: string | null;
  failure: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Who the trail names when the app itself acts on a top-up: the sender, and the settle's refusal (ledgerline_auto_top_up writes the same). */
export const AUTO_TOP_UP_ACTOR = "system:auto_top_up";

/** The Stripe idempotency key of a top-up's PaymentIntent: a retry after a crash creates no second charge. */
export const topUpIdempotencyKey = (orgId: string, topUpId: string) => `top-up:${orgId}:${topUpId}`;

/** The credit grant's reference: a replayed webhook grants nothing twice. */
export const topUpGrantReference = (topUpId: string) => `top-up:${topUpId}`;

type SettingsReader = Pick<PrismaClient, "autoTopUpSettings">;

export async function readAutoTopUp(db: SettingsReader, orgId: string): Promise<AutoTopUpSettings | null> {
  const row = await db.autoTopUpSettings.findUnique({ where: { orgId } });
  return row && {
    enabled: row.enabled,
    thresholdMicros: Number(row.thresholdMicros),
    amountMicros: Number(row.amountMicros),
    monthlyCapMicros: Number(row.monthlyCapMicros),
  };
}

export interface SavedAutoTopUp {
  settings: AutoTopUpSettings;
  changed: boolean;
  /** False while the org has no Stripe customer, so no payment method a top-up could charge. */
  hasStripeCustomer: boolean;
}

/**
 * Stores an admin's settings and audits the change, in one transaction under
 * the org's row lock (two admins saving at once are applied one after the
 * other, each audited against what the other left). The caller has checked
 * the admin and validated the amounts (lib/stripe/billing-forms.ts).
 */
export async function saveAutoTopUpSettings(
  db: PrismaClient,
  actor: { orgId: string; userId: string },
  settings: AutoTopUpSettings,
  now = new Date(),
): Promise<SavedAutoTopUp> {
  return db.$transaction(async (tx) => {
    const [org] = await tx.$queryRaw<{ stripe_customer_id: string | null }[]>`
      SELECT stripe_customer_id FROM orgs WHERE id = ${actor.orgId} FOR UPDATE`;
    const before = await readAutoTopUp(tx, actor.orgId);
    const changed = !before || (Object.keys(settings) as (keyof AutoTopUpSettings)[]).some((key) => before[key] !== settings[key]);
    if (changed) {
      const data = { ...settings, updatedAt: now, updatedBy: actor.userId };
      await tx.autoTopUpSettings.upsert({ where: { orgId: actor.orgId }, create: { orgId: actor.orgId, ...data }, update: data });
      await recordAudit(tx, { orgId: actor.orgId, actor: `user:${actor.userId}`, action: "auto_top_up_changed", before: before ? { ...before } : { enabled: false }, after: { ...settings } });
    }
    return { settings, changed, hasStripeCustomer: Boolean(org?.stripe_customer_id) };
  }, TX_OPTIONS);
}

type TopUpReader = Pick<PrismaClient, "creditTopUp">;

/** The org's newest top-ups, refusals included, newest first. */
export async function recentTopUps(db: TopUpReader, orgId: string, take = 10): Promise<TopUp[]> {
  const rows = await db.creditTopUp.findMany({ where: { orgId }, orderBy: { id: "desc" }, take });
  return rows.map((row) => ({
    id: String(row.id),
    status: row.status as TopUpStatus,
    amountMicros: Number(row.amountMicros),
    paymentIntentId: row.paymentIntentId,
    failure: row.failure,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  }));
}

export interface TopUpFailure {
  orgId: string;
  topUpId: string;
  /** Why, in words for the admins. */
  failure: string;
  paymentIntentId?: string | null;
  actor: string;
  now?: Date;
}

/**
 * Marks an outstanding top-up failed, tells each admin once and audits it, in
 * the caller's transaction. A top-up no longer outstanding (already failed,
 * or credited) is left as it is: false. AI access is never paused here; the
 * org keeps the credits and pool it has.
 */
export async function failTopUp(tx: Tx, { orgId, topUpId, failure, paymentIntentId = null, actor, now = new Date() }: TopUpFailure): Promise<boolean> {
  const [row] = await tx.$queryRaw<{ amount_micros: bigint; payment_intent_id: string | null }[]>`
    UPDATE credit_top_ups
    SET status = 'failed', failure = ${failure}, payment_intent_id = coalesce(${paymentIntentId}::text, payment_intent_id), lease_until = NULL, updated_at = ${now}
    WHERE org_id = ${orgId} AND id = ${BigInt(topUpId)} AND status IN ('pending', 'sent')
    RETURNING amount_micros, payment_intent_id`;
  if (!row) return false;
  await notifyAdminsOfTopUp(tx, orgId, topUpId, now);
  await recordAudit(tx, {
    orgId,
    actor,
    action: "auto_top_up_failed",
    after: { topUpId, amountMicros: Number(row.amount_micros), paymentIntentId: row.payment_intent_id, failure },
  });
  return true;
}

/** One notification per admin and top-up; a second call tells no one twice. */
async function notifyAdminsOfTopUp(tx: Tx, orgId: string, topUpId: string, now: Date) {
  const admins = await tx.membership.findMany({ where: { orgId, role: { in: [...ADMIN_ROLES] } }, select: { userId: true } });
  await tx.notification.createMany({
    data: admins.map((admin) => ({ orgId, userId: admin.userId, topUpId: BigInt(topUpId), createdAt: now })),
    skipDuplicates: true,
  });
}

/** The top-up's Stripe-facing state in the caller's transaction, locked until it commits; null for another org's or an unknown id. */
export async function lockTopUp(tx: Tx, orgId: string, topUpId: string): Promise<{ status: TopUpStatus; amountMicros: number } | null> {
  const [row] = await tx.$queryRaw<{ status: TopUpStatus; amount_micros: bigint }[]>`
    SELECT status, amount_micros FROM credit_top_ups WHERE org_id = ${orgId} AND id = ${BigInt(topUpId)} FOR UPDATE`;
  return row ? { status: row.status, amountMicros: Number(row.amount_micros) } : null;
}
