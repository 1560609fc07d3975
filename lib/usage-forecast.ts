import type { BillingPeriod } from "@/lib/billing-cycle";

/**
 * Where a resetting meter ends its billing cycle at this cycle's pace. The
 * method is a steady rate: what was used so far, over the time the cycle has
 * run, carried on to the cycle's end. So a cycle half gone with 40% used
 * projects to 80%, and the limit falls on the day the same rate would reach it.
 *
 * The figure used is the cycle's exact counter (the sum of its daily rollups),
 * over the exact time elapsed: a cycle starts at its anchor's time of day, so
 * its first UTC day's rollup also holds the end of the cycle before, and whole
 * days would misjudge the pace. Months of 28 to 31 days come out right because
 * the cycle's own length is used.
 */

/** No forecast until the cycle has run this long: one busy morning is not a pace. */
export const MIN_FORECAST_DAYS = 3;

const DAY_MS = 86_400_000;

export interface Forecast {
  /** The projected total at the cycle's end, in the metric's unit. */
  projectedUsed: number;
  /** The UTC day ("2026-12-18") the limit is reached at this pace; null when it is not reached this cycle. */
  reachesLimitOn: string | null;
}

export interface ForecastInput {
  used: number;
  /** Null: nothing caps the meter, so there is nothing to forecast. */
  limit: number | null;
  period: BillingPeriod;
  now: Date;
}

/** The forecast, or null with no cap or before MIN_FORECAST_DAYS of the cycle have passed. */
export function forecastUsage({ used, limit, period, now }: ForecastInput): Forecast | null {
  if (limit === null) return null;
  const start = period.start.getTime();
  const elapsed = Math.min(now.getTime(), period.end.getTime()) - start;
  if (elapsed < MIN_FORECAST_DAYS * DAY_MS) return null;
  const length = period.end.getTime() - start;
  // In integers: micro-dollar totals times milliseconds pass 2^53.
  const projectedUsed = Number(divideRounded(BigInt(used) * BigInt(length), BigInt(elapsed)));
  if (projectedUsed < limit) return { projectedUsed, reachesLimitOn: null };
  // Used so far times the share of the limit: at `used` per `elapsed`, the limit comes at start + limit·elapsed/used.
  const reachedAt = used === 0 ? start : start + Number(divideRounded(BigInt(limit) * BigInt(elapsed), BigInt(used)));
  return { projectedUsed, reachesLimitOn: new Date(reachedAt).toISOString().slice(0, 10) };
}

const divideRounded = (numerator: bigint, denominator: bigint) => (numerator * 2n + denominator) / (denominator * 2n);
