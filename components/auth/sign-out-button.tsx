import { signOutToSignIn } from "@/lib/auth/actions";

/** Signs out (ending this session's row at once) and goes to the sign-in page. */
export function SignOutButton({ className }: { className: string }) {
  return (
    <form action={signOutToSignIn}>
      <button type="submit" className={className}>
        Sign out
      </button>
    </form>
  );
}
