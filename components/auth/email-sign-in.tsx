import { signInWithEmail } from "@/lib/auth/actions";

/** Sign-in by emailed link: the address, and a button. */
export function EmailSignIn({ callbackUrl }: { callbackUrl: string }) {
  return (
    <form action={signInWithEmail} className="grid gap-2" data-testid="email-sign-in">
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <label htmlFor="sign-in-email" className="text-sm font-medium text-slate-700">
        Work email
      </label>
      <input
        id="sign-in-email"
        name="email"
        type="email"
        required
        autoComplete="email"
        className="rounded-lg border border-slate-300 px-3 py-2 text-sm text-slate-900"
      />
      <button type="submit" className="w-full rounded-lg bg-slate-900 px-3.5 py-2.5 text-sm font-semibold text-white hover:bg-slate-800">
        Email me a sign-in link
      </button>
    </form>
  );
}
