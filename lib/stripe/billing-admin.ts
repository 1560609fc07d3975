import "server-only";
import { forbidden } from "next/navigation";
import { isAdmin } from "@/lib/auth/roles";
import { requireSession, type SessionContext } from "@/lib/auth/session";
import { SETTINGS_BILLING_PATH } from "@/lib/plan-upgrade";

/**
 * The check every billing action makes before reading anything else: a
 * signed-in admin of the org the form was rendered for. Signed out: off to
 * sign-in. Any other role, or a form naming another org (rendered before a
 * switch, or forged): 403, whatever the rest of the form says, so a direct
 * call gets no further than a click would.
 */
export async function requireBillingAdmin(form: FormData): Promise<SessionContext> {
  const session = await requireSession(SETTINGS_BILLING_PATH);
  if (!isAdmin(session.role)) forbidden();
  if (form.get("orgId") !== session.orgId) forbidden();
  return session;
}
