"use server";

import { z } from "zod";
import { acceptInvitation } from "@/lib/admin/accept-invitation";
import { formOutcome, parseForm, type FormState } from "@/lib/auth/form-action";
import { db } from "@/lib/db";

const acceptForm = z.object({
  token: z.string().min(16).max(200),
  name: z.string().trim().min(1, "Enter your name as colleagues know it.").max(120, "Keep the name under 120 characters."),
});

/** Anyone holding the link may accept: the token is the proof that the invitation reached them. */
export async function joinOrg(_previous: FormState, form: FormData): Promise<FormState> {
  const parsed = parseForm(acceptForm, form);
  if ("state" in parsed) return parsed.state;
  return formOutcome(form, async () => {
    const joined = await acceptInvitation(db(), parsed.data);
    return { tone: "success", message: `You are in. Sign in as ${joined.email} to start.` };
  }, []);
}
