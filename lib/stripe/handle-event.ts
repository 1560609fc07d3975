import type Stripe from "stripe";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { TX_OPTIONS, type Tx } from "@/lib/metering/types";
import type { StripeEventHandler } from "./event-handler";
import { grantPurchasedCredits } from "./handlers/checkout-completed";
import { pauseOnExhaustedRetries } from "./handlers/invoice-payment-failed";
import { restoreOnInvoicePaid } from "./handlers/invoice-paid";
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
]);

/**
 * Applies a verified Stripe event exactly once: its id goes into stripe_events
 * in the same transaction as its effect. A replay finds the id and changes
 * nothing; a concurrent duplicate waits on the id's unique index until the
 * first delivery commits (then changes nothing) or rolls back (then applies it
 * itself). Any error rolls the whole event back, and Stripe retries it.
 */
export async function handleStripeEvent(db: PrismaClient, event: Stripe.Event, now = new Date()): Promise<void> {
  await db.$transaction(async (tx) => {
    if (!(await claimEvent(tx, event))) return;
    const handler = HANDLERS.get(event.type);
    const orgId = handler ? await handler({ tx, event, at: new Date(event.created * 1000), now, actor: `stripe:${event.id}` }) : null;
    if (orgId) await tx.$executeRaw`UPDATE stripe_events SET org_id = ${orgId} WHERE id = ${event.id}`;
  }, TX_OPTIONS);
}

async function claimEvent(tx: Tx, event: Stripe.Event) {
  const inserted = await tx.$queryRaw<unknown[]>`
    INSERT INTO stripe_events (id, type) VALUES (${event.id}, ${event.type})
    ON CONFLICT (id) DO NOTHING RETURNING 1`;
  return inserted.length > 0;
}
