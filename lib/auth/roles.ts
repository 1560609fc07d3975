/**
 * What each membership role may see and do. Pure functions of the role (and
 * the org's preview flag), so pages, components and tests share one rulebook.
 */

export const ROLES = ["super_admin", "admin", "manager", "user"] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  super_admin: "Super admin",
  admin: "Admin",
  manager: "Manager",
  user: "User",
};

/** Who isAdmin admits, in words (the 403 page says it). */
export const ADMIN_AUDIENCE = "admins and super admins";

/** The roles that run the org's billing and settings (the store reads them as ledgerline_admin_roles()). */
export const ADMIN_ROLES: readonly Role[] = ["super_admin", "admin"];

export function isAdmin(role: Role): boolean {
  return ADMIN_ROLES.includes(role);
}

/**
 * Dollar amounts (AI spend, prices, credit balances) reach admins and super
 * admins, and everyone in an org with the preview flag. Everyone else gets
 * percentages only, and no dollar figure is sent to their browser at all.
 */
export function canSeeDollars(role: Role, previewFlag: boolean): boolean {
  return previewFlag || isAdmin(role);
}

/** Who canManagePlan admits, in words. */
export const PLAN_MANAGER_AUDIENCE = "managers, admins and super admins";

/** Manage Plan and Admin > Billing: managers, admins and super admins. */
export function canManagePlan(role: Role): boolean {
  return role !== "user";
}
