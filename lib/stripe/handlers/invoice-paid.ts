import { setAiPause } from "../ai-pause";
import { lockOrgByCustomer } from "../billing-org";
import type { StripeEventHandler } from "../event-handler";
import { stripeInvoice } from "../stripe-objects";

/** invoice.paid for the org's current subscription: the org is paid up, so AI access is restored if it was paused. */
export const restoreOnInvoicePaid: StripeEventHandler = async ({ tx, event, at, actor }) => {
  const invoice = stripeInvoice.parse(event.data.object);
  const org = invoice.customerId ? await lockOrgByCustomer(tx, invoice.customerId) : null;
  if (!org) return;
  if (invoice.subscriptionId !== null && invoice.subscriptionId === org.stripeSubscriptionId) {
    await setAiPause(tx, org, { paused: false, at, actor, reason: "invoice_paid" });
  }
};
