import { ADMIN_BILLING_PATH } from "@/lib/plan-upgrade";
import { ADMIN_AUDIENCE, PLAN_MANAGER_AUDIENCE } from "./roles";

/** The request header proxy.ts passes a page's path in. */
export const PATHNAME_HEADER = "x-ledgerline-pathname";

/**
 * Who a page that refuses a viewer (403) is for, in words: Admin > Billing is
 * canManagePlan's, every other admin page isAdmin's.
 */
export function audienceOf(pathname: string | null): string {
  return pathname === ADMIN_BILLING_PATH ? PLAN_MANAGER_AUDIENCE : ADMIN_AUDIENCE;
}
