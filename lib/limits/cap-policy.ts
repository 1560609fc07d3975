import type { CapKind } from "./metrics";
import type { Limit } from "./plans";

/**
 * The cap policy: how a limit becomes the ceiling the store enforces. The
 * decision itself, whether a quantity fits under a ceiling, is made in one
 * place, the store's ledgerline_fits (prisma/sql/ledgerline_fits.sql), by
 * consume, the batch path, AI authorize and check alike.
 */

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

/** The ceiling the store enforces on an org counter: the cap's, and MAX_COUNTER for metrics without one. */
export function storeCeiling(capKind: CapKind, limit: Limit): number {
  return Math.min(ceilingFor(capKind, limit) ?? MAX_COUNTER, MAX_COUNTER);
}

/** A member's personal allocation is a hard cap: its ceiling is the allocation itself (null: none, the member shares the pool). */
export function allocationCeiling(allocation: Limit): number | null {
  return ceilingFor("hard", allocation);
}

/** Whether adding `quantity` would take a counter at `total` past MAX_COUNTER: refused whatever the cap. */
export function overflowsCounter(total: number, quantity: number): boolean {
  return quantity > 0 && total + quantity > MAX_COUNTER;
}

/** Percent of the limit used, for display and alerts; 0 when unlimited. */
export function percentUsed(used: number, limit: Limit): number {
  if (limit === null || limit <= 0) return limit === 0 && used > 0 ? 100 : 0;
  return Math.round((used / limit) * 1000) / 10;
}
