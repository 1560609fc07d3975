"use server";

import { z } from "zod";
import { createOrgApiKey, revokeOrgApiKey } from "@/lib/admin/org-api-keys";
import { API_KEYS_PATH } from "@/lib/admin/paths";
import { formOutcome, parseForm, requireFormMember, type FormState } from "@/lib/auth/form-action";
import { isAdmin } from "@/lib/auth/roles";
import { db } from "@/lib/db";

const orgId = z.string().min(1).max(200);
const keyForm = z.object({ orgId, name: z.string().trim().min(1, "Name the key, e.g. CRM production.").max(100, "Keep the name under 100 characters.") });
const keyRef = z.object({ orgId, keyId: z.string().min(1).max(200) });

/** The new key comes back in the form's state, shown this once; only its hash is kept. */
export async function issueApiKey(_previous: FormState, form: FormData): Promise<FormState> {
  const actor = await requireFormMember(form, API_KEYS_PATH, isAdmin);
  const parsed = parseForm(keyForm, form);
  if ("state" in parsed) return parsed.state;
  return formOutcome(form, async () => {
    const { key } = await createOrgApiKey(db(), actor, parsed.data);
    return { tone: "success", message: `Key "${parsed.data.name}" created. Copy it now: it is shown only this once.`, secret: key };
  }, [API_KEYS_PATH]);
}

export async function revokeApiKey(_previous: FormState, form: FormData): Promise<FormState> {
  const actor = await requireFormMember(form, API_KEYS_PATH, isAdmin);
  const parsed = parseForm(keyRef, form);
  if ("state" in parsed) return parsed.state;
  return formOutcome(form, async () => {
    await revokeOrgApiKey(db(), actor, parsed.data.keyId);
    return { tone: "success", message: "Key revoked: its next request is refused with 401." };
  }, [API_KEYS_PATH]);
}
