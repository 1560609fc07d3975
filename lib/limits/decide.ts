import type { CapKind } from "./metrics";
import type { Limit } from "./plans";

/** Soft caps allow this overage before denying. */
export const SOFT_CAP_OVERAGE = 0.1;

/**
 * The highest total a counter may reach: the limit for hard caps, 110% of it
 * (rounded down) for soft caps, and no ceiling for unlimited or observed metrics.
 */
export function ceilingFor(capKind: CapKind, limit: Limit): number | null {
  if (limit === null || capKind === "observe") return null;
  if (capKind === "soft") return Math.floor(limit * (1 + SOFT_CAP_OVERAGE));
  return limit;
}

export interface Decision {
  allowed: boolean;
  /** The counter after this request if allowed, else unchanged. */
  used: number;
}

/**
 * The cap policy, all-or-nothing: allow while `used + quantity` stays within
 * the ceiling. A release (quantity <= 0) is never denied.
 */
export function decide(used: number, quantity: number, capKind: CapKind, limit: Limit): Decision {
  const ceiling = ceilingFor(capKind, limit);
  const allowed = quantity <= 0 || ceiling === null || used + quantity <= ceiling;
  return { allowed, used: allowed ? used + quantity : used };
}

/** Percent of the limit used, for display and alerts; 0 when unlimited. */
export function percentUsed(used: number, limit: Limit): number {
  if (limit === null || limit <= 0) return limit === 0 && used > 0 ? 100 : 0;
  return Math.round((used / limit) * 1000) / 10;
}
