import type { CapKind } from "./metrics";
import type { Limit } from "./plans";

/** Soft caps allow this overage before denying. */
export const SOFT_CAP_OVERAGE = 0.1;

/** The same allowance in whole percent, for the words people read: 10 (of the limit), 110 (the ceiling). */
export const SOFT_CAP_ALLOWANCE_PERCENT = Math.round(SOFT_CAP_OVERAGE * 100);
export const SOFT_CAP_CEILING_PERCENT = 100 + SOFT_CAP_ALLOWANCE_PERCENT;

/**
 * The highest total a counter may reach: the limit for hard caps, 110% of it
 * (rounded down) for soft caps, and no ceiling for unlimited or observed metrics.
 */
export function ceilingFor(capKind: CapKind, limit: Limit): number | null {
  if (limit === null || capKind === "observe") return null;
  if (capKind === "soft") return Math.floor(limit * (1 + SOFT_CAP_OVERAGE));
  return limit;
}

/**
 * No counter goes past this: above it JavaScript and JSON numbers are no
 * longer exact integers, so every figure in every answer stays exact.
 */
export const MAX_COUNTER = Number.MAX_SAFE_INTEGER;

/** The ceiling the store enforces: the cap's, and MAX_COUNTER for metrics without one. */
export function storeCeiling(capKind: CapKind, limit: Limit): number {
  return Math.min(ceilingFor(capKind, limit) ?? MAX_COUNTER, MAX_COUNTER);
}

/** Whether adding `quantity` would take a counter at `total` past MAX_COUNTER: refused whatever the cap. */
export function overflowsCounter(total: number, quantity: number): boolean {
  return quantity > 0 && total + quantity > MAX_COUNTER;
}

export interface Decision {
  allowed: boolean;
  /** The counter after this request if allowed, else unchanged. */
  used: number;
}

/**
 * The cap policy, all-or-nothing: allow while `used + quantity` stays within
 * the ceiling. A release (a negative quantity) is never denied; a quantity
 * of zero is a request like any other, refused on a counter already past its
 * ceiling (after a downgrade), as the store refuses it.
 */
export function decide(used: number, quantity: number, capKind: CapKind, limit: Limit): Decision {
  const allowed = quantity < 0 || used + quantity <= storeCeiling(capKind, limit);
  return { allowed, used: allowed ? used + quantity : used };
}

/** Percent of the limit used, for display and alerts; 0 when unlimited. */
export function percentUsed(used: number, limit: Limit): number {
  if (limit === null || limit <= 0) return limit === 0 && used > 0 ? 100 : 0;
  return Math.round((used / limit) * 1000) / 10;
}
