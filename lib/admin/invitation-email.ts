import { appLink } from "@/lib/app-url";
import { ROLE_LABELS, type Role } from "@/lib/auth/roles";
import type { MailMessage } from "@/lib/mail/mailer";
import { invitationPath } from "./invitation-token";
import { SEAT_LABELS, type SeatType } from "./seats";

export interface InvitationLetter {
  invitationId: string;
  orgId: string;
  orgName: string;
  email: string;
  role: Role;
  seatType: SeatType;
  inviterName: string;
  token: string;
  expiresAt: Date;
  /** Which sending this is: each Resend is a new message with a new link. */
  sending: number;
}

export function invitationEmail(letter: InvitationLetter): MailMessage {
  const expires = letter.expiresAt.toISOString().slice(0, 10);
  return {
    orgId: letter.orgId,
    to: letter.email,
    subject: `${letter.inviterName} invited you to ${letter.orgName} on Ledgerline`,
    text: [
      `${letter.inviterName} invited you to join ${letter.orgName} on Ledgerline as ${ROLE_LABELS[letter.role].toLowerCase()} with a ${SEAT_LABELS[letter.seatType]} seat.`,
      "",
      `Accept the invitation: ${appLink(invitationPath(letter.token))}`,
      "",
      `The link works until ${expires} (UTC). If you were not expecting this, ignore this email.`,
    ].join("\n"),
    idempotencyKey: `invitation:${letter.invitationId}:${letter.sending}`,
  };
}
