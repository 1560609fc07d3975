import { SOFT_CAP_ALLOWANCE_PERCENT } from "./cap-policy";
import { METRICS, type MetricId } from "./metrics";
import type { Limit } from "./plans";

const resetPhrase = (resetsAt: Date | null) =>
  resetsAt ? ` It resets on ${resetsAt.toISOString().slice(0, 10)} (UTC).` : "";

/** The one place that words a "limit reached" answer. */
export function limitReachedMessage(metric: MetricId, limit: Limit, resetsAt: Date | null): string {
  const label = METRICS[metric].label;
  const soft = METRICS[metric].capKind === "soft" ? ` (including the ${SOFT_CAP_ALLOWANCE_PERCENT}% soft-cap allowance)` : "";
  return `Your organization has reached its ${label} limit of ${limit?.toLocaleString("en-US")}${soft}.${resetPhrase(resetsAt)} Upgrade your plan in Settings > Billing for more.`;
}

/**
 * The AI allocation is money: the message may reach the member, who is never
 * shown dollar amounts (and micro-dollars mean nothing to anyone), so it names no amount.
 */
export function allocationReachedMessage(metric: MetricId, allocation: number, resetsAt: Date | null): string {
  const label = METRICS[metric].label;
  const amount = METRICS[metric].unit === "micros" ? "" : ` of ${allocation.toLocaleString("en-US")}`;
  return `You have used your personal ${label} allocation${amount}.${resetPhrase(resetsAt)} Ask an admin to raise it in Admin > Usage & Limits > Per-user allocations.`;
}

export const AI_BUDGET_EXHAUSTED_MESSAGE =
  "Your organization's AI budget and prepaid credits for this billing cycle are used up. An admin can buy credits or upgrade in Settings > Billing.";

export const AI_PAUSED_MESSAGE =
  "AI access is paused because a payment failed. An admin must update the payment method in Settings > Billing to restore it.";
