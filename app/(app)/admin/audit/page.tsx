import type { Metadata } from "next";
import Link from "next/link";
import { forbidden } from "next/navigation";
import { z } from "zod";
import { AuditTable } from "@/components/admin/audit-table";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { AUDIT_PATH } from "@/lib/admin/paths";
import { readAuditLog } from "@/lib/audit/audit-log";
import { isAdmin } from "@/lib/auth/roles";
import { requireSession } from "@/lib/auth/session";
import { db } from "@/lib/db";

export const metadata: Metadata = { title: "Audit log · Ledgerline" };

const query = z.object({ before: z.string().regex(/^\d{1,19}$/).optional().catch(undefined) });

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const session = await requireSession(AUDIT_PATH);
  if (!isAdmin(session.role)) forbidden();
  const { before } = query.parse(await searchParams);
  const page = await readAuditLog(db(), session.orgId, before ? BigInt(before) : undefined);
  return (
    <>
      <PageHeader trail={["Admin", "Audit log"]} title="Audit log" description="Every admin and billing change, who made it, and what it was before and after. Entries are never edited or removed." />
      <Card className="p-5 sm:p-6">
        <AuditTable entries={page.entries} />
        {(before || page.olderThan) && (
          <nav aria-label="Audit pages" className="mt-4 flex justify-between text-sm font-semibold">
            {before ? <Link href={AUDIT_PATH} className="text-blue-700 hover:text-blue-800">Newest</Link> : <span />}
            {page.olderThan && <Link href={`${AUDIT_PATH}?before=${page.olderThan}`} className="text-blue-700 hover:text-blue-800">Older entries</Link>}
          </nav>
        )}
      </Card>
    </>
  );
}
