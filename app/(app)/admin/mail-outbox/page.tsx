import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import { MailOutboxList } from "@/components/admin/mail-outbox-list";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { MAIL_OUTBOX_PATH } from "@/lib/admin/paths";
import { isAdmin } from "@/lib/auth/roles";
import { requireSession } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { readMailOutbox } from "@/lib/mail/outbox-view";

export const metadata: Metadata = { title: "Mail outbox · Ledgerline" };

export default async function MailOutboxPage() {
  const session = await requireSession(MAIL_OUTBOX_PATH);
  if (!isAdmin(session.role)) forbidden();
  const messages = await readMailOutbox(db(), session.orgId);
  return (
    <>
      <PageHeader trail={["Admin", "Mail outbox"]} title="Mail outbox" description="The development mailer keeps email here instead of sending it: invitations and usage alerts to admins." />
      <Card className="p-5 sm:p-6">
        <MailOutboxList messages={messages} />
      </Card>
    </>
  );
}
