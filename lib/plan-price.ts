import { formatMicros } from "@/lib/format";
import { PLANS, type PlanId } from "@/lib/limits/plans";
import type { BillingInterval } from "@/lib/limits/stripe-prices";

/** A plan's list price in words: "$49.00" and "/month". Public, so every member is shown it. */
export interface ListPrice {
  amount: string;
  per: string;
}

export function listPrice(id: PlanId, interval: BillingInterval): ListPrice {
  const plan = PLANS[id];
  return interval === "year"
    ? { amount: formatMicros(plan.annualPriceMicros), per: "/year" }
    : { amount: formatMicros(plan.monthlyPriceMicros), per: "/month" };
}
