import { recordAudit } from "@/lib/audit/record-audit";
import { CUMULATIVE_PERIOD_START, billingPeriodFor } from "@/lib/billing-cycle";
import { decideAnchorMove } from "@/lib/billing-anchor-move";
import { planForStripePrice, type PlanPrice } from "@/lib/limits/stripe-prices";
import type { Tx } from "@/lib/metering/types";
import { setAiPause } from "../ai-pause";
import { lockOrgForSubscription, type BillingOrg } from "../billing-org";
import type { StripeEventContext, StripeEventHandler } from "../event-handler";
import { previousSubscriptionAttributes, stripeSubscription, type StripeSubscription } from "../stripe-objects";

/**
 * customer.subscription.created / updated: the org takes the subscription's
 * plan, interval, status and billing anchor, unless a newer state of it was
 * applied already. A subscription turning `unpaid` pauses AI; one coming back
 * to `active` restores it.
 */

/** Statuses under which the org has the plan it pays for; under the others (incomplete, paused, canceled) it is on Free. */
const ENTITLED = new Set(["active", "trialing", "past_due", "unpaid"]);

export const applySubscriptionChange: StripeEventHandler = async (context) => {
  const subscription = stripeSubscription.parse(context.event.data.object);
  const org = await lockOrgForSubscription(context.tx, subscription);
  if (!org) return;
  const entitled = ENTITLED.has(subscription.status);
  const ownSubscription = org.stripeSubscriptionId === null || org.stripeSubscriptionId === subscription.id;
  // One live subscription per org: another one takes over only when it is live itself.
  if (!ownSubscription && !entitled) return;

  const newer = isNewerState(org, subscription, context);
  if (newer) await applyState(context, org, subscription, entitled);
  if (ownSubscription || newer) await applyPaymentState(context, org, subscription);
};

/**
 * Stripe stamps events in whole seconds. On a tie the later delivery wins,
 * except a `created` event of the org's own subscription: nothing about a
 * subscription is older than its creation.
 */
function isNewerState(org: BillingOrg, subscription: StripeSubscription, { event, at }: StripeEventContext) {
  if (!org.stripeStateAt) return true;
  const creationOfOwn = event.type === "customer.subscription.created" && org.stripeSubscriptionId === subscription.id;
  return creationOfOwn ? at > org.stripeStateAt : at >= org.stripeStateAt;
}

async function applyState({ tx, at, now, actor }: StripeEventContext, org: BillingOrg, subscription: StripeSubscription, entitled: boolean) {
  const price = subscriptionPrice(subscription);
  const plan = entitled ? price.plan : "free";
  const billingInterval = entitled ? price.interval : "month";
  const move = entitled
    ? decideAnchorMove({ current: org.billingAnchor, proposed: subscription.billingCycleAnchor, newestPeriodStart: await newestPeriodStart(tx, org.id), now })
    : ({ kind: "unchanged" } as const);
  const billingAnchor = move.kind === "same_period" || move.kind === "fresh_period" ? move.anchor : org.billingAnchor;

  await tx.org.update({
    where: { id: org.id },
    data: {
      plan,
      billingInterval,
      billingAnchor,
      subscriptionStatus: subscription.status,
      stripeSubscriptionId: subscription.id,
      stripeCustomerId: subscription.customerId,
      stripeStateAt: at,
    },
  });

  if (plan !== org.plan || billingInterval !== org.billingInterval) {
    await recordAudit(tx, {
      orgId: org.id,
      actor,
      action: "plan_changed",
      before: { plan: org.plan, billingInterval: org.billingInterval, subscriptionStatus: org.subscriptionStatus },
      after: { plan, billingInterval, subscriptionStatus: subscription.status },
    });
  }
  if (move.kind === "same_period" || move.kind === "fresh_period") {
    await recordAudit(tx, {
      orgId: org.id,
      actor,
      action: "billing_anchor_moved",
      before: { billingAnchor: org.billingAnchor, periodStart: billingPeriodFor(org.billingAnchor, now).start },
      after: { billingAnchor, periodStart: move.periodStart, period: move.kind },
    });
  }
}

async function applyPaymentState({ tx, event, at, actor }: StripeEventContext, org: BillingOrg, subscription: StripeSubscription) {
  if (subscription.status === "unpaid") {
    await setAiPause(tx, org, { paused: true, at, actor, reason: "subscription_unpaid" });
    return;
  }
  const previous = previousSubscriptionAttributes.parse((event.data as { previous_attributes?: unknown }).previous_attributes);
  if (subscription.status === "active" && previous.status !== null && previous.status !== "active") {
    await setAiPause(tx, org, { paused: false, at, actor, reason: "subscription_active" });
  }
}

/** The plan the subscription pays for. A price missing from our table is a configuration error: fail, and Stripe retries once it is fixed. */
function subscriptionPrice(subscription: StripeSubscription): PlanPrice {
  for (const priceId of subscription.priceIds) {
    const price = planForStripePrice(priceId);
    if (price) return price;
  }
  throw new Error(`Subscription ${subscription.id} has no price in the plan table (${subscription.priceIds.join(", ")}); set the STRIPE_PRICE_* variables.`);
}

/** The start of the newest resetting period the org has counted in (cumulative counters sit at the epoch). */
async function newestPeriodStart(tx: Tx, orgId: string): Promise<Date | null> {
  const [row] = await tx.$queryRaw<{ newest: Date | null }[]>`
    SELECT max(period_start) AS newest FROM usage_counters WHERE org_id = ${orgId} AND period_start > ${CUMULATIVE_PERIOD_START}`;
  return row?.newest ?? null;
}
