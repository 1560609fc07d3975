import { isAdmin, type Role } from "@/lib/auth/roles";
import type { PlanId } from "@/lib/limits/plans";

/** Stripe subscription states in which the plan can be changed straight away. */
const ACTIVE_STATUSES = new Set(["active", "trialing"]);

export const SIGNUP_PLAN_PATH = "/signup/plan";
export const SETTINGS_BILLING_PATH = "/settings/billing";
export const ADMIN_BILLING_PATH = "/admin/billing";

/**
 * Where Upgrade leads: Free starts the signup wizard at "Choose your plan"; a
 * paid, active subscription goes to Settings > Billing to pick the target
 * tier. Ultra has nothing above it, and a subscription that is not active
 * (past due, unpaid, canceled) must settle its payment first: no Upgrade.
 */
export function upgradeHref(plan: PlanId, subscriptionStatus: string): string | null {
  if (plan === "free") return SIGNUP_PLAN_PATH;
  if (plan === "ultra" || !ACTIVE_STATUSES.has(subscriptionStatus)) return null;
  return SETTINGS_BILLING_PATH;
}

/**
 * Only admins and super admins can change the plan; everyone else, where an
 * Upgrade applies at all, gets "Ask an admin to upgrade" instead of a page
 * that can only say no (lib/notifications/upgrade-request.ts).
 */
export function mayAskToUpgrade(role: Role, plan: PlanId, subscriptionStatus: string): boolean {
  return !isAdmin(role) && upgradeHref(plan, subscriptionStatus) !== null;
}
