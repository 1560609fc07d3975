"use server";

import { NOTIFICATIONS_PATH } from "@/lib/admin/paths";
import { formOutcome, requireFormMember, type FormState } from "@/lib/auth/form-action";
import { db } from "@/lib/db";
import { markNotificationsRead } from "@/lib/notifications/notification-list";

const anyone = () => true;

/** Every member reads their own notifications; this marks them all read. */
export async function markAllRead(_previous: FormState, form: FormData): Promise<FormState> {
  const reader = await requireFormMember(form, NOTIFICATIONS_PATH, anyone);
  return formOutcome(form, async () => {
    await markNotificationsRead(db(), reader);
    return { tone: "success", message: "All caught up." };
  }, [NOTIFICATIONS_PATH]);
}
