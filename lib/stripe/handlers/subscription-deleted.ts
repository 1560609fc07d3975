import { recordAudit } from "@/lib/audit/record-audit";
import { setAiPause } from "../ai-pause";
import { lockOrgForSubscription } from "../billing-org";
import type { StripeEventHandler } from "../event-handler";
import { stripeSubscription } from "../stripe-objects";

/**
 * customer.subscription.deleted: the subscription has ended, and the org is on
 * Free from now on. Stripe sends this at the end of the paid period for a
 * cancellation at period end (the portal's default), and at once for an
 * immediate cancellation, so "back to Free at the end of the period" is
 * Stripe's timing, not a timer of ours.
 *
 * Counters and anchor: the anchor is kept and no counter is touched. The period
 * running when the event lands (for a period-end cancellation, the one that
 * began at that same boundary) continues under Free's caps until the anchor's
 * next occurrence: what was used in it stays used, nothing is granted afresh.
 * A paused org is restored: it owes nothing on a plan it no longer has.
 *
 * A subscription that is not the org's own (an older one it replaced) ending
 * changes nothing.
 */
export const endSubscription: StripeEventHandler = async ({ tx, event, at, actor }) => {
  const subscription = stripeSubscription.parse(event.data.object);
  const org = await lockOrgForSubscription(tx, subscription);
  if (!org) return;
  if (org.stripeSubscriptionId !== subscription.id) return;
  if (org.stripeStateAt && at < org.stripeStateAt) return;

  await tx.org.update({
    where: { id: org.id },
    data: { plan: "free", billingInterval: "month", subscriptionStatus: subscription.status, stripeSubscriptionId: null, stripeStateAt: at },
  });
  await recordAudit(tx, {
    orgId: org.id,
    actor,
    action: "plan_changed",
    before: { plan: org.plan, billingInterval: org.billingInterval, subscriptionStatus: org.subscriptionStatus },
    after: { plan: "free", billingInterval: "month", subscriptionStatus: subscription.status },
  });
  await setAiPause(tx, org, { paused: false, at, actor, reason: "subscription_ended" });
};
