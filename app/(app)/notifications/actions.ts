"use server";

import { NOTIFICATIONS_PATH } from "@/lib/admin/paths";
import { formOutcome, requireFormMember, type FormState } from "@/lib/auth/form-action";
import { db } from "@/lib/db";
import { markNotificationsRead } from "@/lib/notifications/notification-list";
import { askAdminsToUpgrade } from "@/lib/notifications/upgrade-request";

const anyone = () => true;

/** Every member reads their own notifications; this marks them all read. */
export async function markAllRead(_previous: FormState, form: FormData): Promise<FormState> {
  const reader = await requireFormMember(form, NOTIFICATIONS_PATH, anyone);
  return formOutcome(form, async () => {
    await markNotificationsRead(db(), reader);
    return { tone: "success", message: "All caught up." };
  }, [NOTIFICATIONS_PATH]);
}

/**
 * A member who cannot change the plan asks the org's admins to. The domain
 * refuses where Upgrade does not apply (Ultra, an unpaid subscription) or for
 * an admin, who can upgrade themselves.
 */
export async function askAdminToUpgrade(_previous: FormState, form: FormData): Promise<FormState> {
  const asker = await requireFormMember(form, NOTIFICATIONS_PATH, anyone);
  return formOutcome(form, async () => {
    const outcome = await askAdminsToUpgrade(db(), asker);
    if ("told" in outcome) return { tone: "success", message: "Your admins have been asked; they will see it in their notifications." };
    if (outcome.refused === "no_admins") return { tone: "error", message: "This org has no admin to ask." };
    return { tone: "error", message: "There is no upgrade to ask for right now." };
  }, []);
}
