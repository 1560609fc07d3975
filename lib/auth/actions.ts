"use server";

import { AuthError } from "next-auth";
import { redirect } from "next/navigation";
import { z } from "zod";
import { signIn, signOut } from "@/auth";
import { DEMO_PROVIDER_ID } from "./providers";
import { safeReturnPath } from "./return-path";

const demoSignInForm = z.object({ userId: z.string().min(1).max(200), callbackUrl: z.string().optional() });
const providerSignInForm = z.object({ providerId: z.string().min(1).max(100), callbackUrl: z.string().optional() });

// signIn() redirects by throwing; only Auth.js's own errors are turned into a message on the sign-in page.
async function signInOrExplain(run: () => Promise<unknown>) {
  try {
    await run();
  } catch (error) {
    if (error instanceof AuthError) redirect(`/signin?error=${encodeURIComponent(error.type)}`);
    throw error;
  }
}

export async function signInAsDemoUser(form: FormData) {
  const { userId, callbackUrl } = demoSignInForm.parse(Object.fromEntries(form));
  await signInOrExplain(() => signIn(DEMO_PROVIDER_ID, { userId, redirectTo: safeReturnPath(callbackUrl) }));
}

export async function signInWithProvider(form: FormData) {
  const { providerId, callbackUrl } = providerSignInForm.parse(Object.fromEntries(form));
  await signInOrExplain(() => signIn(providerId, { redirectTo: safeReturnPath(callbackUrl) }));
}

export async function signOutToSignIn() {
  await signOut({ redirectTo: "/signin" });
}
