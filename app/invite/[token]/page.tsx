import type { Metadata } from "next";
import { z } from "zod";
import { AcceptInvitationForm } from "@/components/admin/accept-invitation-form";
import { InvitationSignIn } from "@/components/auth/invitation-sign-in";
import { WrongAccountNotice } from "@/components/auth/wrong-account-notice";
import { BrandMark } from "@/components/ui/brand-mark";
import { invitationForToken } from "@/lib/admin/accept-invitation";
import { SEAT_LABELS } from "@/lib/admin/seats";
import { emailSignInEnabled } from "@/lib/auth/email-sign-in";
import { demoSignInEnabled } from "@/lib/auth/providers";
import { ROLE_LABELS } from "@/lib/auth/roles";
import { signedInPerson } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { formatShortDate } from "@/lib/format";

export const metadata: Metadata = { title: "Invitation · Ledgerline" };

const tokenParam = z.string().regex(/^[\w-]{16,200}$/);

/**
 * The link in an invitation email. Anyone holding it sees what it offers;
 * only the invited person, signed in with that address, can accept.
 */
export default async function InvitationPage({ params }: { params: Promise<{ token: string }> }) {
  const token = tokenParam.safeParse((await params).token);
  const invitation = token.success ? await invitationForToken(db(), token.data) : null;
  const person = invitation ? await signedInPerson() : null;
  return (
    <main className="mx-auto max-w-lg px-4 py-10 sm:py-16">
      <BrandMark />
      <div className="rounded-xl bg-white p-6 shadow-sm ring-1 ring-slate-200 sm:p-8">
        {invitation && token.success ? (
          <>
            <h1 className="text-xl font-semibold text-slate-900">Join {invitation.orgName}</h1>
            <p className="mt-2 text-sm text-slate-600">
              You are invited as {ROLE_LABELS[invitation.role].toLowerCase()} with a {SEAT_LABELS[invitation.seatType]} seat, as{" "}
              <strong className="font-semibold text-slate-900">{invitation.email}</strong>. The link works until {formatShortDate(invitation.expiresAt)}.
            </p>
            {!person ? (
              <InvitationSignIn token={token.data} email={invitation.email} demo={demoSignInEnabled() && !invitation.hasUser} byEmail={emailSignInEnabled()} />
            ) : person.email.toLowerCase() !== invitation.email.toLowerCase() ? (
              <WrongAccountNotice signedInAs={person.email} invited={invitation.email} />
            ) : (
              <AcceptInvitationForm token={token.data} suggestedName={invitation.email.split("@")[0]} />
            )}
          </>
        ) : (
          <>
            <h1 className="text-xl font-semibold text-slate-900">This invitation link no longer works</h1>
            <p className="mt-2 text-sm text-slate-600">It was accepted, revoked, replaced by a newer email, or it expired. Ask an admin of the organization to send it again.</p>
          </>
        )}
      </div>
    </main>
  );
}
