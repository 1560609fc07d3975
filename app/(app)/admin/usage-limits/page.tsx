import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import { AllocationsTable } from "@/components/admin/allocations-table";
import { PageHeader } from "@/components/ui/page-header";
import { allocationsPage, toAllocationsView } from "@/lib/admin/allocations-view";
import { USAGE_LIMITS_PATH } from "@/lib/admin/paths";
import { isAdmin } from "@/lib/auth/roles";
import { requireSession } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { pageQuery } from "@/lib/pagination";
import { getUsageSnapshot } from "@/lib/metering/snapshot";

export const metadata: Metadata = { title: "Usage & Limits · Ledgerline" };

export default async function UsageLimitsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const session = await requireSession(USAGE_LIMITS_PATH);
  if (!isAdmin(session.role)) forbidden();
  const { page } = pageQuery.parse(await searchParams);
  const view = toAllocationsView(await getUsageSnapshot(db(), session.orgId, new Date(), allocationsPage(page)), page);
  return (
    <>
      <PageHeader trail={["Admin", "Usage & Limits"]} title="Usage & Limits" description={`${session.orgName} · billing cycle ${view.periodLabel}`} />
      <AllocationsTable view={view} />
    </>
  );
}
