import type Stripe from "stripe";
import type { Tx } from "@/lib/metering/types";
import { lockOrgById } from "../billing-org";
import { stripePaymentIntent } from "../stripe-objects";
import { autoTopUpMetadata } from "../top-up-payment";

/**
 * The automatic top-up a payment_intent.* event is about, with its org locked
 * for the event's transaction; null for another kind of payment. The org is
 * the one its metadata names, and only while it is linked to the intent's
 * customer, so an event recorded under one org never writes another's rows.
 */
export async function topUpOfIntent(tx: Tx, event: Stripe.Event) {
  const intent = stripePaymentIntent.parse(event.data.object);
  const marked = autoTopUpMetadata.safeParse(intent.metadata);
  if (!marked.success) return null;
  const org = await lockOrgById(tx, marked.data.orgId);
  if (!org || org.stripeCustomerId === null || org.stripeCustomerId !== intent.customerId) return null;
  return { orgId: org.id, topUpId: marked.data.topUpId, intent };
}
