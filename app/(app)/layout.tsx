import { AppHeader } from "@/components/nav/app-header";
import { currentSession } from "@/lib/auth/session";

// The header only. Each page checks the session itself: a layout is not
// re-rendered on every navigation, so it cannot be the guard.
export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const session = await currentSession();
  return (
    <>
      {session && <AppHeader session={session} />}
      <main className="mx-auto max-w-6xl px-4 py-6 sm:px-6 sm:py-8">{children}</main>
    </>
  );
}
