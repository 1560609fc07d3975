"use server";

import { AuthError } from "next-auth";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { signIn, signOut } from "@/auth";
import { invitationForToken } from "@/lib/admin/accept-invitation";
import { invitationPath } from "@/lib/admin/invitation-token";
import { db } from "@/lib/db";
import { requestClientAddress } from "@/lib/http/client-address";
import { DEMO_INVITEE_PROVIDER_ID } from "./demo-invitee-provider";
import { EMAIL_PROVIDER_ID } from "./email-sign-in";
import { signInFailures } from "./failure-limiter";
import { DEMO_PROVIDER_ID } from "./providers";
import { safeReturnPath } from "./return-path";

const demoSignInForm = z.object({ userId: z.string().min(1).max(200), callbackUrl: z.string().optional() });
const inviteeSignInForm = z.object({ token: z.string().regex(/^[\w-]{16,200}$/) });
const providerSignInForm = z.object({ providerId: z.string().min(1).max(100), callbackUrl: z.string().optional() });
const emailSignInForm = z.object({ email: z.email().max(320), callbackUrl: z.string().optional() });

// signIn() redirects by throwing; only Auth.js's own errors are turned into a message on the sign-in page.
// An address that keeps failing is held off for a while (the abuse limit).
async function signInOrExplain(run: () => Promise<unknown>) {
  const client = requestClientAddress(await headers());
  const failures = signInFailures();
  if (failures.retryAfter(client) !== null) redirect("/signin?error=RateLimited");
  try {
    await run();
  } catch (error) {
    if (error instanceof AuthError) {
      await failures.recordFailure(client);
      redirect(`/signin?error=${encodeURIComponent(error.type)}`);
    }
    throw error;
  }
}

export async function signInAsDemoUser(form: FormData) {
  const { userId, callbackUrl } = demoSignInForm.parse(Object.fromEntries(form));
  await signInOrExplain(() => signIn(DEMO_PROVIDER_ID, { userId, redirectTo: safeReturnPath(callbackUrl) }));
}

/** Demo only: signs in as an invitation's address, and comes back to the invitation to accept it. */
export async function signInAsInvitee(form: FormData) {
  const { token } = inviteeSignInForm.parse(Object.fromEntries(form));
  await signInOrExplain(() => signIn(DEMO_INVITEE_PROVIDER_ID, { token, redirectTo: invitationPath(token) }));
}

export async function signInWithProvider(form: FormData) {
  const { providerId, callbackUrl } = providerSignInForm.parse(Object.fromEntries(form));
  await signInOrExplain(() => signIn(providerId, { redirectTo: safeReturnPath(callbackUrl) }));
}

/** Emails a sign-in link (only to a member or an open invitation's address: the signIn callback decides). */
export async function signInWithEmail(form: FormData) {
  const parsed = emailSignInForm.safeParse(Object.fromEntries(form));
  if (!parsed.success) redirect("/signin?error=InvalidEmail");
  const { email, callbackUrl } = parsed.data;
  await signInOrExplain(() => signIn(EMAIL_PROVIDER_ID, { email, redirectTo: safeReturnPath(callbackUrl) }));
}

/** From an invitation: emails a sign-in link to the invited address, which comes back to the invitation. */
export async function signInInviteeByEmail(form: FormData) {
  const { token } = inviteeSignInForm.parse(Object.fromEntries(form));
  const invitation = await invitationForToken(db(), token);
  if (!invitation) redirect(invitationPath(token));
  await signInOrExplain(() => signIn(EMAIL_PROVIDER_ID, { email: invitation.email, redirectTo: invitationPath(token) }));
}

export async function signOutToSignIn() {
  await signOut({ redirectTo: "/signin" });
}
