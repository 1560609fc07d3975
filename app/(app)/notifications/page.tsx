import type { Metadata } from "next";
import { MarkAllRead } from "@/components/notifications/mark-all-read";
import { NotificationList } from "@/components/notifications/notification-list";
import { Card, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { NOTIFICATIONS_PATH } from "@/lib/admin/paths";
import { requireSession } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { listNotifications } from "@/lib/notifications/notification-list";

export const metadata: Metadata = { title: "Notifications · Ledgerline" };

export default async function NotificationsPage() {
  const session = await requireSession(NOTIFICATIONS_PATH);
  const notifications = await listNotifications(db(), { userId: session.user.id, orgId: session.orgId, role: session.role });
  return (
    <>
      <PageHeader trail={["Notifications"]} title="Notifications" description="Usage alerts for you: your own allocation, and the organization's meters if you manage them." />
      <Card aria-labelledby="notifications-title" className="p-5 sm:p-6">
        <CardHeader
          id="notifications-title"
          title="Latest"
          action={notifications.some((n) => n.unread) ? <MarkAllRead orgId={session.orgId} /> : undefined}
        />
        <div className="mt-2">
          <NotificationList notifications={notifications} />
        </div>
      </Card>
    </>
  );
}
