import type { PlanId } from "@/lib/limits/plans";
import type { BillingInterval } from "@/lib/limits/stripe-prices";
import type { Tx } from "@/lib/metering/types";

/**
 * The org a Stripe event is about, locked for the rest of the event's
 * transaction: two events for one org apply one after the other, each seeing
 * what the previous one wrote, so the out-of-order checks cannot race.
 */
export interface BillingOrg {
  id: string;
  plan: PlanId;
  billingInterval: BillingInterval;
  subscriptionStatus: string;
  billingAnchor: Date;
  aiPaused: boolean;
  stripeCustomerId: string | null;
  stripeSubscriptionId: string | null;
  stripeStateAt: Date | null;
  paymentStateAt: Date | null;
}

export async function lockOrgByCustomer(tx: Tx, customerId: string): Promise<BillingOrg | null> {
  const [row] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM orgs WHERE stripe_customer_id = ${customerId} FOR UPDATE`;
  return row ? readBillingOrg(tx, row.id) : null;
}

/**
 * A subscription's org: the one holding its customer, or, before the customer
 * is linked, the org its metadata names (set by our Checkout), which it then
 * belongs to. Never an org already linked to another customer.
 */
export async function lockOrgForSubscription(tx: Tx, subscription: { customerId: string; metadata: Record<string, string> }) {
  const byCustomer = await lockOrgByCustomer(tx, subscription.customerId);
  if (byCustomer || !subscription.metadata.orgId) return byCustomer;
  const byMetadata = await lockOrgById(tx, subscription.metadata.orgId);
  return byMetadata && byMetadata.stripeCustomerId === null ? byMetadata : null;
}

export async function lockOrgById(tx: Tx, orgId: string): Promise<BillingOrg | null> {
  const [row] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM orgs WHERE id = ${orgId} FOR UPDATE`;
  return row ? readBillingOrg(tx, row.id) : null;
}

function readBillingOrg(tx: Tx, id: string): Promise<BillingOrg> {
  return tx.org.findUniqueOrThrow({
    where: { id },
    select: {
      id: true,
      plan: true,
      billingInterval: true,
      subscriptionStatus: true,
      billingAnchor: true,
      aiPaused: true,
      stripeCustomerId: true,
      stripeSubscriptionId: true,
      stripeStateAt: true,
      paymentStateAt: true,
    },
  });
}
