import { ButtonLink } from "@/components/ui/button-link";
import { invitationPath } from "@/lib/admin/invitation-token";
import { signInAsInvitee, signInInviteeByEmail } from "@/lib/auth/actions";

/**
 * Signed out on an invitation: sign in as the invited address, and come back
 * here to accept. `demo` adds the demo's one-click sign-in as that address
 * (the page offers it only while demo sign-in is on, for an address with no user yet);
 * `byEmail` a sign-in link mailed to the invited address, which proves it and comes back here.
 */
export function InvitationSignIn({ token, email, demo, byEmail }: { token: string; email: string; demo: boolean; byEmail: boolean }) {
  return (
    <div className="mt-5 grid gap-3" data-testid="invitation-sign-in">
      <p className="text-sm text-slate-600">Sign in as {email} to accept: only the invited person can join.</p>
      <div className="flex flex-wrap items-center gap-3">
        {byEmail && (
          <form action={signInInviteeByEmail}>
            <input type="hidden" name="token" value={token} />
            <button type="submit" className="rounded-lg bg-slate-900 px-3.5 py-2 text-sm font-semibold text-white hover:bg-slate-800">
              Email a sign-in link to {email}
            </button>
          </form>
        )}
        <ButtonLink href={`/signin?callbackUrl=${encodeURIComponent(invitationPath(token))}`}>Sign in to accept</ButtonLink>
        {demo && (
          <form action={signInAsInvitee}>
            <input type="hidden" name="token" value={token} />
            <button type="submit" className="rounded-lg bg-white px-3.5 py-2 text-sm font-semibold text-slate-700 ring-1 ring-slate-300 hover:bg-slate-50">
              Demo: sign in as {email}
            </button>
          </form>
        )}
      </div>
    </div>
  );
}
