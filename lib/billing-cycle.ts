/**
 * Billing-cycle arithmetic, in UTC. Counters reset monthly at the org's billing
 * anchor (its subscription start). An anchor on the 29th-31st falls on the last
 * day of shorter months and returns to its own day after (Jan 31 -> Feb 28 ->
 * Mar 31), as Stripe does. The anchor's time of day is kept.
 */

export interface BillingPeriod {
  start: Date;
  /** Exclusive: the instant the next period starts and counters reset. */
  end: Date;
}

/** Cumulative metrics live in a single period that starts here and never ends. */
export const CUMULATIVE_PERIOD_START = new Date(0);

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}

/** The anchor's occurrence in a given month (month may run past 0..11; Date.UTC normalises it). */
function anchorInMonth(anchor: Date, year: number, month: number): Date {
  const first = new Date(Date.UTC(year, month, 1));
  const y = first.getUTCFullYear();
  const m = first.getUTCMonth();
  const day = Math.min(anchor.getUTCDate(), daysInMonth(y, m));
  return new Date(
    Date.UTC(y, m, day, anchor.getUTCHours(), anchor.getUTCMinutes(), anchor.getUTCSeconds(), anchor.getUTCMilliseconds()),
  );
}

/** The billing period containing `at`. */
export function billingPeriodFor(anchor: Date, at: Date): BillingPeriod {
  const year = at.getUTCFullYear();
  let month = at.getUTCMonth();
  if (anchorInMonth(anchor, year, month) > at) month -= 1;
  return { start: anchorInMonth(anchor, year, month), end: anchorInMonth(anchor, year, month + 1) };
}

/** The `count` periods ending with the one containing `at`, oldest first. */
export function recentPeriods(anchor: Date, at: Date, count: number): BillingPeriod[] {
  const current = billingPeriodFor(anchor, at);
  const periods: BillingPeriod[] = [current];
  for (let i = 1; i < count; i++) {
    const previous = periods[0].start;
    periods.unshift(billingPeriodFor(anchor, new Date(previous.getTime() - 1)));
  }
  return periods;
}

/** Whole seconds from `at` until the period resets, at least 1 (for Retry-After). */
export function secondsUntilReset(period: BillingPeriod, at: Date): number {
  return Math.max(1, Math.ceil((period.end.getTime() - at.getTime()) / 1000));
}

/** Midnight UTC of the day `at` falls on: the day of a daily rollup or of an upgrade request. */
export function startOfUtcDay(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
}
