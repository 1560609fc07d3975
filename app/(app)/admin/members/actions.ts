"use server";

import { z } from "zod";
import { changeSeatType } from "@/lib/admin/member-seats";
import { inviteMember, resendInvitation, revokeInvitation, type SentInvitation } from "@/lib/admin/invitations";
import { MAIL_OUTBOX_PATH, MEMBERS_PATH } from "@/lib/admin/paths";
import { removeMember } from "@/lib/admin/remove-member";
import { SEAT_TYPES } from "@/lib/admin/seats";
import { formOutcome, parseForm, requireFormMember, type FormState } from "@/lib/auth/form-action";
import { isAdmin, ROLES } from "@/lib/auth/roles";
import { db } from "@/lib/db";
import { appMailer, sendsRealMail } from "@/lib/mail/app-mailer";

const orgId = z.string().min(1).max(200);
const id = z.string().min(1).max(200);

const invitationForm = z.object({
  orgId,
  email: z.email("Enter an email address, e.g. name@company.com.").max(320),
  role: z.enum(ROLES, "Choose a role."),
  seatType: z.enum(SEAT_TYPES, "Choose a seat type."),
});
const invitationRef = z.object({ orgId, invitationId: id });
const seatForm = z.object({ orgId, userId: id, seatType: z.enum(SEAT_TYPES, "Choose a seat type.") });
const memberRef = z.object({ orgId, userId: id });

const REVALIDATE = [MEMBERS_PATH, MAIL_OUTBOX_PATH];

const sentMessage = (what: string, sent: SentInvitation) => {
  if (!sent.emailed) return `${what} The email could not be sent; try Resend.`;
  return sendsRealMail() ? `${what} The email is on its way; the mail outbox keeps a copy.` : `${what} The email is in the mail outbox.`;
};

export async function sendInvitation(_previous: FormState, form: FormData): Promise<FormState> {
  const actor = await requireFormMember(form, MEMBERS_PATH, isAdmin);
  const parsed = parseForm(invitationForm, form);
  if ("state" in parsed) return parsed.state;
  return formOutcome(form, async () => {
    const sent = await inviteMember(db(), actor, parsed.data, appMailer(db()));
    return { tone: "success", message: sentMessage(`Invitation sent to ${parsed.data.email.toLowerCase()}.`, sent) };
  }, REVALIDATE);
}

export async function sendInvitationAgain(_previous: FormState, form: FormData): Promise<FormState> {
  const actor = await requireFormMember(form, MEMBERS_PATH, isAdmin);
  const parsed = parseForm(invitationRef, form);
  if ("state" in parsed) return parsed.state;
  return formOutcome(form, async () => {
    const sent = await resendInvitation(db(), actor, parsed.data.invitationId, appMailer(db()));
    return { tone: "success", message: sentMessage("Sent again with a new link; the old link no longer works.", sent) };
  }, REVALIDATE);
}

export async function withdrawInvitation(_previous: FormState, form: FormData): Promise<FormState> {
  const actor = await requireFormMember(form, MEMBERS_PATH, isAdmin);
  const parsed = parseForm(invitationRef, form);
  if ("state" in parsed) return parsed.state;
  return formOutcome(form, async () => {
    await revokeInvitation(db(), actor, parsed.data.invitationId);
    return { tone: "success", message: "Invitation revoked; its seat is free again." };
  }, REVALIDATE);
}

export async function moveSeat(_previous: FormState, form: FormData): Promise<FormState> {
  const actor = await requireFormMember(form, MEMBERS_PATH, isAdmin);
  const parsed = parseForm(seatForm, form);
  if ("state" in parsed) return parsed.state;
  return formOutcome(form, async () => {
    await changeSeatType(db(), actor, parsed.data);
    return { tone: "success", message: "Seat changed." };
  }, [MEMBERS_PATH, "/settings/usage"]);
}

export async function removeFromOrg(_previous: FormState, form: FormData): Promise<FormState> {
  const actor = await requireFormMember(form, MEMBERS_PATH, isAdmin);
  const parsed = parseForm(memberRef, form);
  if ("state" in parsed) return parsed.state;
  return formOutcome(form, async () => {
    await removeMember(db(), actor, parsed.data);
    return { tone: "success", message: "Removed; their seat is free and they are signed out." };
  }, [MEMBERS_PATH, "/settings/usage"]);
}
