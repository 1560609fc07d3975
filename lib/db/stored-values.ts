import { ROLES, type Role } from "@/lib/auth/roles";
import { SEAT_TYPES, type SeatType } from "@/lib/admin/seats";
import { PLAN_IDS, type PlanId } from "@/lib/limits/plans";
import { BILLING_INTERVALS, type BillingInterval } from "@/lib/limits/stripe-prices";

/**
 * Columns the store keeps as text under a check constraint (plans, billing
 * intervals, roles, seat types: see migration 20261202110000_enums_as_text),
 * read back as the app's own types. A value outside the list can only come
 * from a store newer than this code, and is refused rather than guessed at.
 */
function oneOf<T extends string>(values: readonly T[], what: string) {
  return (value: string): T => {
    if ((values as readonly string[]).includes(value)) return value as T;
    throw new Error(`The store holds ${what} "${value}", which this version does not know.`);
  };
}

export const storedPlan: (value: string) => PlanId = oneOf(PLAN_IDS, "plan");
export const storedInterval: (value: string) => BillingInterval = oneOf(BILLING_INTERVALS, "billing interval");
export const storedRole: (value: string) => Role = oneOf(ROLES, "role");
export const storedSeatType: (value: string) => SeatType = oneOf(SEAT_TYPES, "seat type");

type StoredOrg<T> = Omit<T, "plan" | "billingInterval"> & { plan: PlanId } & (T extends { billingInterval: string } ? { billingInterval: BillingInterval } : unknown);

/** An org row as the app types it: its plan, and its billing interval when it was read, checked and narrowed. */
export function storedOrg<T extends { plan: string; billingInterval?: string }>(org: T): StoredOrg<T> {
  const typed = { ...org, plan: storedPlan(org.plan) };
  if (org.billingInterval !== undefined) Object.assign(typed, { billingInterval: storedInterval(org.billingInterval) });
  return typed as StoredOrg<T>;
}
