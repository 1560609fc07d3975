import { signInWithProvider } from "@/lib/auth/actions";

/** A button per OAuth provider configured in the environment. */
export function ProviderSignIn({ providers, callbackUrl }: { providers: { id: string; name: string }[]; callbackUrl: string }) {
  return (
    <div className="grid gap-2">
      {providers.map((provider) => (
        <form key={provider.id} action={signInWithProvider}>
          <input type="hidden" name="providerId" value={provider.id} />
          <input type="hidden" name="callbackUrl" value={callbackUrl} />
          <button type="submit" className="w-full rounded-lg bg-slate-900 px-3.5 py-2.5 text-sm font-semibold text-white hover:bg-slate-800">
            Continue with {provider.name}
          </button>
        </form>
      ))}
    </div>
  );
}
