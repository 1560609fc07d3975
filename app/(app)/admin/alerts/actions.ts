"use server";

import { z } from "zod";
import { removeWebhookEndpoint, rotateWebhookSecret, saveWebhookEndpoint } from "@/lib/alerts/webhook-endpoint";
import { ALERTS_PATH } from "@/lib/admin/paths";
import { formOutcome, parseForm, requireFormMember, type FormState } from "@/lib/auth/form-action";
import { isAdmin } from "@/lib/auth/roles";
import { db } from "@/lib/db";

const orgOnly = z.object({ orgId: z.string().min(1).max(200) });
const endpointForm = orgOnly.extend({ url: z.string().trim().min(1, "Enter the URL alerts are posted to.").max(2_000) });

export async function saveAlertWebhook(_previous: FormState, form: FormData): Promise<FormState> {
  const actor = await requireFormMember(form, ALERTS_PATH, isAdmin);
  const parsed = parseForm(endpointForm, form);
  if ("state" in parsed) return parsed.state;
  return formOutcome(form, async () => {
    await saveWebhookEndpoint(db(), actor, parsed.data);
    return { tone: "success", message: "Saved. New alerts are posted to this URL." };
  }, [ALERTS_PATH]);
}

export async function removeAlertWebhook(_previous: FormState, form: FormData): Promise<FormState> {
  const actor = await requireFormMember(form, ALERTS_PATH, isAdmin);
  const parsed = parseForm(orgOnly, form);
  if ("state" in parsed) return parsed.state;
  return formOutcome(form, async () => {
    await removeWebhookEndpoint(db(), actor);
    return { tone: "success", message: "Webhook removed. Alerts still reach the notification list and admins' email." };
  }, [ALERTS_PATH]);
}

export async function rotateAlertSecret(_previous: FormState, form: FormData): Promise<FormState> {
  const actor = await requireFormMember(form, ALERTS_PATH, isAdmin);
  const parsed = parseForm(orgOnly, form);
  if ("state" in parsed) return parsed.state;
  return formOutcome(form, async () => {
    await rotateWebhookSecret(db(), actor);
    return { tone: "success", message: "New signing secret in use from the next delivery; update your receiver." };
  }, [ALERTS_PATH]);
}
