import Stripe from "stripe";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { CREDIT_PURCHASE } from "@/lib/limits/stripe-prices";
import { AUTO_TOP_UP_ACTOR, failTopUp, topUpIdempotencyKey } from "@/lib/metering/auto-top-up";
import { TX_OPTIONS } from "@/lib/metering/types";
import { logger } from "@/lib/observability/log";
import { stripe } from "./client";
import { stripeConnected } from "./config";
import { autoTopUpMetadataFor } from "./top-up-payment";

/**
 * Sends the top-ups settle opened: for each, one PaymentIntent off-session
 * with the customer's default payment method, confirmed at once, under an
 * idempotency key of its own (`top-up:<org>:<id>`). The webhook that confirms
 * the payment grants the credits (handlers/payment-intent-succeeded.ts); this
 * only marks the top-up `sent`.
 *
 * Work is claimed org by org: the orgs with a pending top-up are read without
 * a lock, then each org's is claimed with a lease in a single-org statement
 * (FOR UPDATE SKIP LOCKED), so two senders never call Stripe for one top-up at
 * the same time and no transaction stays open across the network. A sender
 * that stops between Stripe's answer and the mark leaves the lease to run
 * out; the next one asks again with the same key and Stripe answers with the
 * same PaymentIntent, so the customer is charged once.
 */

const LEASE_MS = 60_000;
/**
 * Stripe forgets an idempotency key after 24 hours, and a request after that
 * could charge a second time for a PaymentIntent made before a crash: a
 * top-up not sent within this long fails instead (its webhook, if Stripe did
 * make it, still credits it).
 */
const GIVE_UP_MS = 23 * 3_600_000;
/** Statuses of a PaymentIntent on its way to (or at) success; the webhook brings the outcome. */
const UNDER_WAY = new Set(["succeeded", "processing", "requires_capture"]);

export interface SendTotals {
  sent: number;
  failed: number;
  /** Left pending for the next pass: Stripe could not be reached, or answered 5xx or 429. */
  retrying: number;
}

interface Claimed {
  id: bigint;
  amount_micros: bigint;
  created_at: Date;
}

/** One pass over every org with a pending top-up; any number of processes may run it at once. */
export async function sendPendingTopUps(db: PrismaClient, now = new Date()): Promise<SendTotals> {
  const due = await db.$queryRaw<{ org_id: string }[]>`
    SELECT DISTINCT org_id FROM credit_top_ups WHERE status = 'pending' AND (lease_until IS NULL OR lease_until <= ${now}) LIMIT 200`;
  const totals: SendTotals = { sent: 0, failed: 0, retrying: 0 };
  for (const { org_id: orgId } of due) {
    const sent = await sendOrgTopUps(db, orgId, now);
    for (const key of Object.keys(totals) as (keyof SendTotals)[]) totals[key] += sent[key];
  }
  return totals;
}

/** Claims and sends the org's pending top-up (there is at most one). */
export async function sendOrgTopUps(db: PrismaClient, orgId: string, now = new Date()): Promise<SendTotals> {
  const claimed = await db.$queryRaw<Claimed[]>`
    UPDATE credit_top_ups t SET lease_until = ${new Date(now.getTime() + LEASE_MS)}, attempts = t.attempts + 1, updated_at = ${now}
    WHERE t.org_id = ${orgId} AND t.id IN (
      SELECT id FROM credit_top_ups WHERE org_id = ${orgId} AND status = 'pending' AND (lease_until IS NULL OR lease_until <= ${now})
      ORDER BY id FOR UPDATE SKIP LOCKED
    )
    RETURNING t.id, t.amount_micros, t.created_at`;
  const totals: SendTotals = { sent: 0, failed: 0, retrying: 0 };
  for (const topUp of claimed) totals[await sendOne(db, orgId, topUp, now)] += 1;
  return totals;
}

async function sendOne(db: PrismaClient, orgId: string, topUp: Claimed, now: Date): Promise<keyof SendTotals> {
  const topUpId = String(topUp.id);
  const fail = async (failure: string, paymentIntentId: string | null = null) => {
    await db.$transaction((tx) => failTopUp(tx, { orgId, topUpId, failure, paymentIntentId, actor: AUTO_TOP_UP_ACTOR, now }), TX_OPTIONS);
    return "failed" as const;
  };
  if (now.getTime() - topUp.created_at.getTime() > GIVE_UP_MS) return fail("It could not be sent to Stripe within a day, so it was dropped rather than risk a second charge.");
  const org = await db.org.findUnique({ where: { id: orgId }, select: { stripeCustomerId: true, autoTopUp: { select: { enabled: true } } } });
  if (!org?.autoTopUp?.enabled) return fail("Auto top-up was turned off before this top-up was sent, so nothing was charged.");
  if (!stripeConnected()) return fail("Billing is not connected in this environment, so nothing was charged.");
  if (!org.stripeCustomerId) return fail("No payment method is on file: add one with Update payment method on Settings > Billing.");

  try {
    const customer = await stripe().customers.retrieve(org.stripeCustomerId);
    const method = customer.deleted ? null : customer.invoice_settings?.default_payment_method;
    const paymentMethod = typeof method === "string" ? method : (method?.id ?? null);
    if (!paymentMethod) return fail("The Stripe customer has no default payment method: add one with Update payment method on Settings > Billing.");
    const intent = await stripe().paymentIntents.create(
      {
        amount: Number(topUp.amount_micros) / CREDIT_PURCHASE.stepMicros,
        currency: "usd",
        customer: org.stripeCustomerId,
        payment_method: paymentMethod,
        off_session: true,
        confirm: true,
        description: "Ledgerline AI credits (auto top-up)",
        metadata: autoTopUpMetadataFor(orgId, topUpId),
      },
      { idempotencyKey: topUpIdempotencyKey(orgId, topUpId) },
    );
    if (!UNDER_WAY.has(intent.status)) return fail(`Stripe could not charge the saved payment method (the payment is ${intent.status.replaceAll("_", " ")}).`, intent.id);
    await db.$executeRaw`
      UPDATE credit_top_ups SET status = 'sent', payment_intent_id = ${intent.id}, lease_until = NULL, updated_at = ${now}
      WHERE org_id = ${orgId} AND id = ${topUp.id} AND status = 'pending'`;
    return "sent";
  } catch (error) {
    // A decline (or the bank asking for the customer, who is not there) and a refused request do not get better by asking again.
    if (error instanceof Stripe.errors.StripeCardError) return fail(`Stripe could not charge the saved payment method: ${error.message}`, error.payment_intent?.id ?? null);
    if (error instanceof Stripe.errors.StripeInvalidRequestError || error instanceof Stripe.errors.StripeIdempotencyError) {
      return fail(`Stripe refused the payment: ${error.message}`, error.payment_intent?.id ?? null);
    }
    // Unreachable, 5xx, 429, a refused key: the lease runs out and the next pass asks again with the same key.
    logger().warn({ err: error, orgId, topUpId }, "auto top-up not sent; retrying on the next pass");
    return "retrying";
  }
}
