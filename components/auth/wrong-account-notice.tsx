import { SignOutButton } from "./sign-out-button";

/** Signed in as someone other than the invitee: the invitation cannot be accepted from this session. */
export function WrongAccountNotice({ signedInAs, invited }: { signedInAs: string; invited: string }) {
  return (
    <div className="mt-5 grid gap-3" data-testid="invitation-wrong-account">
      <p role="alert" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
        You are signed in as {signedInAs}, but this invitation is for {invited}. Only {invited} can accept it: sign out, then open the link again and sign in as {invited}.
      </p>
      <SignOutButton className="rounded-lg bg-white px-3.5 py-2 text-sm font-semibold text-slate-700 ring-1 ring-slate-300 hover:bg-slate-50" />
    </div>
  );
}
