"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { acceptInvitation } from "@/lib/admin/accept-invitation";
import { invitationPath } from "@/lib/admin/invitation-token";
import { formOutcome, parseForm, type FormState } from "@/lib/auth/form-action";
import { signedInPerson } from "@/lib/auth/session";
import { db } from "@/lib/db";

const acceptForm = z.object({
  token: z.string().regex(/^[\w-]{16,200}$/, "This invitation link is not valid."),
  name: z.string().trim().min(1, "Enter your name as colleagues know it.").max(120, "Keep the name under 120 characters."),
});

/**
 * Accepting needs the link and the invited person: signed out, to sign-in and
 * back to the invitation; signed in with another address, 403 (the domain
 * refuses it). Once accepted, this very session is the new member's.
 */
export async function joinOrg(_previous: FormState, form: FormData): Promise<FormState> {
  const parsed = parseForm(acceptForm, form);
  if ("state" in parsed) return parsed.state;
  const person = await signedInPerson();
  if (!person) redirect(`/signin?callbackUrl=${encodeURIComponent(invitationPath(parsed.data.token))}`);
  return formOutcome(form, async () => {
    const joined = await acceptInvitation(db(), { ...parsed.data, sessionId: person.sessionId });
    return { tone: "success", message: `You are in ${joined.orgName}, signed in as ${joined.email}.` };
  }, []);
}
