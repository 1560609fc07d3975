import type { Metadata } from "next";
import { DemoSignIn } from "@/components/auth/demo-sign-in";
import { EmailSignIn } from "@/components/auth/email-sign-in";
import { ProviderSignIn } from "@/components/auth/provider-sign-in";
import { emailSignInEnabled } from "@/lib/auth/email-sign-in";
import { demoSignInEnabled, oauthSignInOptions } from "@/lib/auth/providers";
import { safeReturnPath } from "@/lib/auth/return-path";
import { BrandMark } from "@/components/ui/brand-mark";

export const metadata: Metadata = { title: "Sign in · Ledgerline" };

const ERRORS: Record<string, string> = {
  AccessDenied: "That account is not a member of any organization here and has no open invitation.",
  CredentialsSignin: "The demo sign-in was refused: that demo person is not in the database yet (run `npm run db:seed`), or the invitation is no longer open.",
  RateLimited: "Too many failed sign-in attempts from your address. Wait a few minutes and try again.",
  EmailSignin: "The sign-in link could not be sent. Wait a few minutes and try again.",
  Verification: "That sign-in link was already used or has expired. Ask for a new one.",
  InvalidEmail: "That is not an email address.",
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const callbackUrl = safeReturnPath(params.callbackUrl);
  const error = typeof params.error === "string" ? (ERRORS[params.error] ?? "Sign-in failed. Please try again.") : null;
  const providers = oauthSignInOptions();
  const demo = demoSignInEnabled();
  const email = emailSignInEnabled();
  // Auth.js's verify-request step (see CHECK_EMAIL_PATH): a link was asked for.
  const sent = params.type === "email";
  return (
    <main className="mx-auto max-w-2xl px-4 py-10 sm:py-16">
      <BrandMark />
      <div className="rounded-xl bg-white p-6 shadow-sm ring-1 ring-slate-200 sm:p-8">
        <h1 className="text-xl font-semibold text-slate-900">Sign in</h1>
        {error && (
          <p role="alert" className="mt-3 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
            {error}
          </p>
        )}
        {sent && (
          <p role="status" className="mt-3 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-900">
            Check your email: if that address belongs to a member or an open invitation, a sign-in link is on its way. It works once, for 15 minutes.
          </p>
        )}
        {email && (
          <div className="mt-5">
            <EmailSignIn callbackUrl={callbackUrl} />
          </div>
        )}
        {providers.length > 0 && (
          <div className="mt-5">
            <ProviderSignIn providers={providers} callbackUrl={callbackUrl} />
          </div>
        )}
        {demo && (
          <div className="mt-6">
            <p className="mb-4 text-sm text-slate-600">Demo: pick a seeded person to sign in as. Each org shows a different side of the Usage page.</p>
            <DemoSignIn callbackUrl={callbackUrl} />
          </div>
        )}
        {!demo && !email && providers.length === 0 && (
          <p className="mt-3 text-sm text-slate-600">
            No sign-in method is configured. Set SMTP_URL for sign-in by emailed link, AUTH_GITHUB_ID and AUTH_GITHUB_SECRET (or another provider&apos;s) for OAuth, or LEDGERLINE_DEMO=true for a demo deployment with the demo users.
          </p>
        )}
      </div>
    </main>
  );
}
