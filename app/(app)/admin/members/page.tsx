import type { Metadata } from "next";
import Link from "next/link";
import { forbidden } from "next/navigation";
import { InvitationsTable } from "@/components/admin/invitations-table";
import { InviteForm } from "@/components/admin/invite-form";
import { MembersTable } from "@/components/admin/members-table";
import { SeatSummary } from "@/components/admin/seat-summary";
import { Card, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { PageLinks } from "@/components/ui/page-links";
import { getMembersView } from "@/lib/admin/members-view";
import { MAIL_OUTBOX_PATH, MEMBERS_PATH } from "@/lib/admin/paths";
import { isAdmin } from "@/lib/auth/roles";
import { requireSession } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { pageQuery } from "@/lib/pagination";

export const metadata: Metadata = { title: "Members · Ledgerline" };

export default async function MembersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const session = await requireSession(MEMBERS_PATH);
  if (!isAdmin(session.role)) forbidden();
  const { page } = pageQuery.parse(await searchParams);
  const view = await getMembersView(db(), session.orgId, { userId: session.user.id, role: session.role }, new Date(), page);
  return (
    <>
      <PageHeader trail={["Admin", "Members"]} title="Members" description={`${session.orgName} · ${view.planName} plan`} />
      <div className="grid gap-6">
        <Card aria-labelledby="invite-title" className="p-5 sm:p-6">
          <CardHeader
            id="invite-title"
            title="Invite a member"
            description="An invitation holds a seat of its type until it is accepted, revoked or expires. Seats gate invitations only; they never block AI, email or other usage."
          />
          <div className="mt-4 grid gap-5">
            <SeatSummary seats={view.seats} planName={view.planName} />
            <InviteForm view={view} />
          </div>
        </Card>
        <div className="grid gap-6 lg:grid-cols-2 lg:items-start">
          <Card aria-labelledby="invitations-title" className="p-5 sm:p-6">
            <CardHeader
              id="invitations-title"
              title="Pending invitations"
              action={
                <Link href={MAIL_OUTBOX_PATH} className="text-sm font-semibold text-blue-700 hover:text-blue-800">
                  Mail outbox
                </Link>
              }
            />
            <InvitationsTable orgId={view.orgId} invitations={view.invitations} />
          </Card>
          <Card aria-labelledby="members-title" className="p-5 sm:p-6">
            <CardHeader id="members-title" title="Members" description={`${view.pages.total.toLocaleString("en-US")} in ${session.orgName}.`} />
            <MembersTable view={view} />
            <PageLinks pages={view.pages} href={(page) => `${MEMBERS_PATH}?page=${page}`} />
          </Card>
        </div>
      </div>
    </>
  );
}
