import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import { z } from "zod";
import { PlanChange } from "@/components/billing/plan-change";
import { PlanSummary } from "@/components/billing/plan-summary";
import { SeatUsage } from "@/components/billing/seat-usage";
import { PageHeader } from "@/components/ui/page-header";
import { canManagePlan } from "@/lib/auth/roles";
import { requireSession } from "@/lib/auth/session";
import { getBillingView, planOption } from "@/lib/billing-view";
import { db } from "@/lib/db";
import { PLAN_IDS } from "@/lib/limits/plans";

export const metadata: Metadata = { title: "Admin billing · Ledgerline" };

const query = z.object({ plan: z.enum(PLAN_IDS).optional().catch(undefined) });

export default async function AdminBillingPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const session = await requireSession("/admin/billing");
  if (!canManagePlan(session.role)) forbidden();
  const [billing, { plan: target }] = await Promise.all([getBillingView(db(), session.orgId, session.role), searchParams.then((p) => query.parse(p))]);
  return (
    <>
      <PageHeader trail={["Admin", "Billing"]} title="Billing administration" description="Plan, payment and seats for your organization." />
      <div className="grid gap-6">
        {target && target !== billing.plan.id && <PlanChange from={billing.plan} to={planOption(target, billing.plan.price !== null)} />}
        <div className="grid gap-6 lg:grid-cols-2 lg:items-start">
          <PlanSummary billing={billing} />
          <SeatUsage seats={billing.seats} />
        </div>
      </div>
    </>
  );
}
