import type { Metadata } from "next";
import Link from "next/link";
import { forbidden } from "next/navigation";
import { DeliveryLog } from "@/components/admin/delivery-log";
import { WebhookSettings } from "@/components/admin/webhook-settings";
import { Card, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { ALERTS_PATH, MAIL_OUTBOX_PATH, NOTIFICATIONS_PATH } from "@/lib/admin/paths";
import { getAlertsView } from "@/lib/alerts/alerts-view";
import { isAdmin } from "@/lib/auth/roles";
import { requireSession } from "@/lib/auth/session";
import { db } from "@/lib/db";

export const metadata: Metadata = { title: "Usage alerts · Ledgerline" };

export default async function AlertsPage() {
  const session = await requireSession(ALERTS_PATH);
  if (!isAdmin(session.role)) forbidden();
  const view = await getAlertsView(db(), session.orgId);
  const link = "font-medium text-blue-700 underline underline-offset-2 hover:text-blue-800";
  return (
    <>
      <PageHeader
        trail={["Admin", "Usage alerts"]}
        title="Usage alerts"
        description={
          <>
            At 80%, 90% and 100% of a meter, the AI pool or a member&apos;s allocation, once each per cycle: in the{" "}
            <Link href={NOTIFICATIONS_PATH} className={link}>notification list</Link>, by email to admins (see the{" "}
            <Link href={MAIL_OUTBOX_PATH} className={link}>mail outbox</Link>) and to your webhook.
          </>
        }
      />
      <div className="grid gap-6">
        <Card aria-labelledby="webhook-title" className="p-5 sm:p-6">
          <CardHeader id="webhook-title" title="Webhook" description="Alerts are posted as JSON, signed, and retried with exponential backoff until your endpoint answers 2xx (up to 8 attempts over about an hour)." />
          <div className="mt-4">
            <WebhookSettings orgId={view.orgId} endpoint={view.endpoint} />
          </div>
        </Card>
        <Card aria-labelledby="deliveries-title" className="p-5 sm:p-6">
          <CardHeader id="deliveries-title" title="Deliveries" description="Every attempt, by webhook and email." />
          <DeliveryLog deliveries={view.deliveries} />
        </Card>
      </div>
    </>
  );
}
