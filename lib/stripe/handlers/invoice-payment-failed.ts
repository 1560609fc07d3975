import { setAiPause } from "../ai-pause";
import { lockOrgByCustomer } from "../billing-org";
import type { StripeEventHandler } from "../event-handler";
import { stripeInvoice } from "../stripe-objects";

/**
 * invoice.payment_failed: while Stripe still retries (next_payment_attempt is
 * set) nothing changes; once its retries are exhausted, the org's AI access is
 * paused until the invoice is paid. Only invoices of the org's current
 * subscription count: a failure on one it has left behind pauses nothing.
 */
export const pauseOnExhaustedRetries: StripeEventHandler = async ({ tx, event, at, actor }) => {
  const invoice = stripeInvoice.parse(event.data.object);
  const org = invoice.customerId ? await lockOrgByCustomer(tx, invoice.customerId) : null;
  if (!org) return;
  if (invoice.retriesExhausted && invoice.subscriptionId !== null && invoice.subscriptionId === org.stripeSubscriptionId) {
    await setAiPause(tx, org, { paused: true, at, actor, reason: "retries_exhausted" });
  }
};
