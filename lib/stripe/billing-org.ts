import { storedOrg } from "@/lib/db/stored-values";
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

/** The org a Stripe customer is linked to, read without a lock (on Citus, a look at every shard's index). */
export async function orgIdOfCustomer(tx: Tx, customerId: string): Promise<string | null> {
  const [row] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM orgs WHERE stripe_customer_id = ${customerId} LIMIT 1`;
  return row?.id ?? null;
}

/**
 * Found by customer, then locked by id: the lock is a single-org statement
 * (Citus refuses FOR UPDATE across shards), and the link is checked again
 * under it.
 */
export async function lockOrgByCustomer(tx: Tx, customerId: string): Promise<BillingOrg | null> {
  const id = await orgIdOfCustomer(tx, customerId);
  const org = id ? await lockOrgById(tx, id) : null;
  return org?.stripeCustomerId === customerId ? org : null;
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

async function readBillingOrg(tx: Tx, id: string): Promise<BillingOrg> {
  const org = await tx.org.findUniqueOrThrow({
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
  return storedOrg(org);
}
