import { AppHeader } from "@/components/nav/app-header";
import { currentSession } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { unreadNotifications } from "@/lib/notifications/notification-list";

// The header only. Each page checks the session itself: a layout is not
// re-rendered on every navigation, so it cannot be the guard.
export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const session = await currentSession();
  const unread = session ? await unreadNotifications(db(), { userId: session.user.id, orgId: session.orgId }) : 0;
  return (
    <>
      {session && <AppHeader session={session} unread={unread} />}
      <main className="mx-auto max-w-6xl px-4 py-6 sm:px-6 sm:py-8">{children}</main>
    </>
  );
}
