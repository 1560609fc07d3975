import Link from "next/link";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { ALERTS_PATH, API_KEYS_PATH, AUDIT_PATH, MEMBERS_PATH, NOTIFICATIONS_PATH, USAGE_LIMITS_PATH } from "@/lib/admin/paths";
import { canManagePlan, isAdmin, ROLE_LABELS } from "@/lib/auth/roles";
import type { SessionContext } from "@/lib/auth/session";
import { ADMIN_BILLING_PATH, SETTINGS_BILLING_PATH } from "@/lib/plan-upgrade";
import { NavLink } from "./nav-link";

const ADMIN_LINKS = [
  { href: USAGE_LIMITS_PATH, label: "Usage & Limits" },
  { href: MEMBERS_PATH, label: "Members" },
  { href: API_KEYS_PATH, label: "API keys" },
  { href: ALERTS_PATH, label: "Alerts" },
  { href: AUDIT_PATH, label: "Audit log" },
];

export function AppHeader({ session, unread }: { session: SessionContext; unread: number }) {
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-3 gap-y-2 px-4 py-3 sm:gap-x-6 sm:px-6">
        <Link href="/settings/usage" className="flex items-center gap-2 text-base font-semibold tracking-tight text-slate-900">
          <span aria-hidden="true" className="grid h-7 w-7 place-items-center rounded-lg bg-blue-600 text-sm text-white">
            L
          </span>
          <span className="sr-only sm:not-sr-only">Ledgerline</span>
        </Link>
        <span className="rounded-full bg-slate-100 px-2.5 py-0.5 text-xs font-medium text-slate-700" data-testid="org-name">
          {session.orgName}
        </span>
        <div className="ml-auto flex items-center gap-3">
          <div className="text-right leading-tight">
            <p className="text-sm font-medium text-slate-900" data-testid="user-name">
              {session.user.name}
            </p>
            <p className="text-xs text-slate-500">{ROLE_LABELS[session.role]}</p>
          </div>
          <SignOutButton className="rounded-md px-2.5 py-1.5 text-sm font-medium text-slate-600 ring-1 ring-slate-300 hover:bg-slate-50" />
        </div>
        <nav aria-label="Main" className="-mx-3 flex w-full gap-1 overflow-x-auto">
          <NavLink href="/settings/usage">Usage</NavLink>
          <NavLink href={SETTINGS_BILLING_PATH}>Billing</NavLink>
          {canManagePlan(session.role) && <NavLink href={ADMIN_BILLING_PATH}>Admin billing</NavLink>}
          {isAdmin(session.role) &&
            ADMIN_LINKS.map((link) => (
              <NavLink key={link.href} href={link.href}>
                {link.label}
              </NavLink>
            ))}
          <NavLink href={NOTIFICATIONS_PATH}>
            Notifications
            {unread > 0 && (
              <span className="ml-1.5 rounded-full bg-red-600 px-1.5 py-0.5 text-xs font-semibold text-white" data-testid="unread-count">
                {unread}
                <span className="sr-only"> unread</span>
              </span>
            )}
          </NavLink>
        </nav>
      </div>
    </header>
  );
}
