import type Stripe from "stripe";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { z } from "zod";
import { TX_OPTIONS, type Tx } from "@/lib/metering/types";
import { orgIdOfCustomer } from "./billing-org";
import type { StripeEventHandler } from "./event-handler";
import { grantPurchasedCredits } from "./handlers/checkout-completed";
import { pauseOnExhaustedRetries } from "./handlers/invoice-payment-failed";
import { restoreOnInvoicePaid } from "./handlers/invoice-paid";
import { failAutoTopUp } from "./handlers/payment-intent-failed";
import { creditAutoTopUp } from "./handlers/payment-intent-succeeded";
import { applySubscriptionChange } from "./handlers/subscription-changed";
import { endSubscription } from "./handlers/subscription-deleted";

/** The events we act on. Anything else is recorded and acknowledged, never acted on. */
const HANDLERS = new Map<string, StripeEventHandler>([
  ["customer.subscription.created", applySubscriptionChange],
  ["customer.subscription.updated", applySubscriptionChange],
  ["customer.subscription.deleted", endSubscription],
  ["invoice.payment_failed", pauseOnExhaustedRetries],
  ["invoice.paid", restoreOnInvoicePaid],
  ["checkout.session.completed", grantPurchasedCredits],
  ["checkout.session.async_payment_succeeded", grantPurchasedCredits],
  ["payment_intent.succeeded", creditAutoTopUp],
  ["payment_intent.payment_failed", failAutoTopUp],
]);

/**
 * Applies a verified Stripe event exactly once. The org it is about is found
 * first (eventOrgId), and the event's id goes into that org's stripe_events in
 * the same transaction as its effect, so the whole event is one org's
 * transaction. A replay finds the id and changes nothing; a concurrent
 * duplicate waits on the id's unique index until the first delivery commits
 * (then changes nothing) or rolls back (then applies it itself). Any error
 * rolls the whole event back, and Stripe retries it. An event about no org we
 * know is recorded once in stripe_unmatched_events and acted on never.
 */
export async function handleStripeEvent(db: PrismaClient, event: Stripe.Event, now = new Date()): Promise<void> {
  await db.$transaction(async (tx) => {
    const orgId = await eventOrgId(tx, event);
    if (!orgId) {
      await tx.$executeRaw`INSERT INTO stripe_unmatched_events (id, type) VALUES (${event.id}, ${event.type}) ON CONFLICT (id) DO NOTHING`;
      return;
    }
    if (!(await claimEvent(tx, orgId, event))) return;
    const handler = HANDLERS.get(event.type);
    if (handler) await handler({ tx, event, at: new Date(event.created * 1000), now, actor: `stripe:${event.id}` });
  }, TX_OPTIONS);
}

async function claimEvent(tx: Tx, orgId: string, event: Stripe.Event) {
  const inserted = await tx.$queryRaw<unknown[]>`
    INSERT INTO stripe_events (org_id, id, type) VALUES (${orgId}, ${event.id}, ${event.type})
    ON CONFLICT (org_id, id) DO NOTHING RETURNING 1`;
  return inserted.length > 0;
}

const eventObject = z.object({
  customer: z.union([z.string(), z.object({ id: z.string() })]).nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
});

/**
 * The org an event is about, as the handlers find it: the org linked to its
 * customer, else the org its metadata names (our Checkout sets it, before the
 * customer is linked), if that org exists.
 */
async function eventOrgId(tx: Tx, event: Stripe.Event): Promise<string | null> {
  const object = eventObject.safeParse(event.data.object);
  if (!object.success) return null;
  const { customer, metadata } = object.data;
  const customerId = typeof customer === "string" ? customer : customer?.id;
  const byCustomer = customerId ? await orgIdOfCustomer(tx, customerId) : null;
  if (byCustomer || !metadata?.orgId) return byCustomer;
  const [named] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM orgs WHERE id = ${metadata.orgId}`;
  return named?.id ?? null;
}
