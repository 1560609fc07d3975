import type { PlanId } from "./plans";

/**
 * What we sell through Stripe, next to the plan catalog: one recurring price
 * per paid plan and interval, and the bounds of a prepaid AI credit top-up.
 * Price ids come from the environment (each Stripe account has its own); the
 * defaults are the ids the tests and the local demo use.
 */

export const BILLING_INTERVALS = ["month", "year"] as const;
export type BillingInterval = (typeof BILLING_INTERVALS)[number];

export type PaidPlanId = Exclude<PlanId, "free">;

export interface PlanPrice {
  plan: PaidPlanId;
  interval: BillingInterval;
}

const PRICE_ENV: { plan: PaidPlanId; interval: BillingInterval; env: string }[] = [
  { plan: "pro", interval: "month", env: "STRIPE_PRICE_PRO_MONTH" },
  { plan: "pro", interval: "year", env: "STRIPE_PRICE_PRO_YEAR" },
  { plan: "business", interval: "month", env: "STRIPE_PRICE_BUSINESS_MONTH" },
  { plan: "business", interval: "year", env: "STRIPE_PRICE_BUSINESS_YEAR" },
  { plan: "ultra", interval: "month", env: "STRIPE_PRICE_ULTRA_MONTH" },
  { plan: "ultra", interval: "year", env: "STRIPE_PRICE_ULTRA_YEAR" },
];

/** price_pro_month, price_business_year, ...: the ids used when the environment names none. */
const defaultPriceId = (plan: PaidPlanId, interval: BillingInterval) => `price_${plan}_${interval}`;

type Env = Record<string, string | undefined>;

function priceTable(env: Env) {
  return PRICE_ENV.map(({ plan, interval, env: name }) => ({
    plan,
    interval,
    priceId: env[name]?.trim() || defaultPriceId(plan, interval),
  }));
}

/** The Stripe price to charge for a paid plan at an interval. */
export function stripePriceFor(plan: PaidPlanId, interval: BillingInterval, env: Env = process.env): string {
  return priceTable(env).find((p) => p.plan === plan && p.interval === interval)!.priceId;
}

/** The plan and interval a Stripe price stands for, or null for a price we do not sell. */
export function planForStripePrice(priceId: string, env: Env = process.env): PlanPrice | null {
  const match = priceTable(env).find((p) => p.priceId === priceId);
  return match ? { plan: match.plan, interval: match.interval } : null;
}

const USD = 1_000_000;

/** Prepaid AI credits are bought in whole cents between these amounts (micro-dollars). */
export const CREDIT_PURCHASE = {
  minMicros: 5 * USD,
  maxMicros: 10_000 * USD,
  /** One cent: Stripe charges whole cents. */
  stepMicros: 10_000,
} as const;

/**
 * Auto top-up's settings, in whole cents like every amount Stripe charges: a
 * top-up buys what Buy credits may buy, the monthly cap allows at least one
 * top-up, and the form starts from `defaults` until an admin saves it.
 */
export const AUTO_TOP_UP = {
  threshold: { minMicros: 1 * USD, maxMicros: 10_000 * USD },
  amount: { minMicros: CREDIT_PURCHASE.minMicros, maxMicros: CREDIT_PURCHASE.maxMicros },
  monthlyCap: { minMicros: CREDIT_PURCHASE.minMicros, maxMicros: 100_000 * USD },
  defaults: { thresholdMicros: 10 * USD, amountMicros: 50 * USD, monthlyCapMicros: 200 * USD },
} as const;
