import type { Metadata } from "next";
import { cookies } from "next/headers";
import { PageHeader } from "@/components/ui/page-header";
import { AiUsagePanel } from "@/components/usage/ai-usage-panel";
import { BlockedRequests } from "@/components/usage/blocked-requests";
import { MyUsage } from "@/components/usage/my-usage";
import { OrgMeters } from "@/components/usage/org-meters";
import { PlanCard } from "@/components/usage/plan-card";
import { LiveRefresh } from "@/components/usage/live-refresh";
import { UsageHistory } from "@/components/usage/usage-history";
import { requireSession } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { formatClockTime } from "@/lib/format";
import { getUsageSnapshot } from "@/lib/metering/snapshot";
import { prefersDollars, SHOW_DOLLARS_COOKIE } from "@/lib/preferences/show-dollars";
import { toUsageView } from "@/lib/usage-view";

/** The signed-in export (app/(app)/settings/usage/export): this cycle, by day, as the reader may see it. */
const USAGE_EXPORT_PATH = "/settings/usage/export";

export const metadata: Metadata = { title: "Usage · Ledgerline" };

export default async function UsagePage() {
  const session = await requireSession("/settings/usage");
  const view = toUsageView(await getUsageSnapshot(db(), session.orgId, new Date(), { viewer: session.user.id }), { userId: session.user.id, role: session.role });
  const initiallyDollars = prefersDollars((await cookies()).get(SHOW_DOLLARS_COOKIE)?.value, session.user.id);
  return (
    <>
      <PageHeader
        trail={["Settings", "Usage"]}
        title="Usage"
        description={
          <>
            {`${view.orgName} · billing cycle ${view.periodLabel} · `}
            <LiveRefresh updated={formatClockTime(view.asOf)} />
          </>
        }
        actions={
          <a href={USAGE_EXPORT_PATH} download className="rounded-md px-3 py-1.5 text-sm font-medium text-slate-700 ring-1 ring-slate-300 hover:bg-slate-50">
            Download CSV
          </a>
        }
      />
      <div className="grid gap-6">
        <div className="grid gap-6 lg:grid-cols-3">
          <div className="lg:col-span-2">
            <AiUsagePanel ai={view.ai} personId={session.user.id} initiallyDollars={initiallyDollars} />
          </div>
          <PlanCard plan={view.plan} />
        </div>
        <OrgMeters groups={view.meterGroups} seats={view.seats} />
        {view.blocked && <BlockedRequests rows={view.blocked} />}
        <MyUsage meters={view.myUsage} allocationsHref={view.allocationsHref} />
        <UsageHistory history={view.history} />
      </div>
    </>
  );
}
