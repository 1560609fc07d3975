import type { Metadata } from "next";
import { PlanPicker } from "@/components/billing/plan-picker";
import { PlanSummary } from "@/components/billing/plan-summary";
import { SeatUsage } from "@/components/billing/seat-usage";
import { PageHeader } from "@/components/ui/page-header";
import { requireSession } from "@/lib/auth/session";
import { getBillingView, planCatalog } from "@/lib/billing-view";
import { db } from "@/lib/db";

export const metadata: Metadata = { title: "Billing · Ledgerline" };

export default async function BillingPage() {
  const session = await requireSession("/settings/billing");
  const billing = await getBillingView(db(), session.orgId, session.role);
  return (
    <>
      <PageHeader trail={["Settings", "Billing"]} title="Billing" description={billing.canManage ? "Your subscription, payment state and seats." : "Your subscription, payment state and seats (read-only)."} />
      <div className="grid gap-6 lg:grid-cols-2 lg:items-start">
        <PlanSummary billing={billing} />
        <SeatUsage seats={billing.seats} />
      </div>
      <section aria-labelledby="plans-title" className="mt-8">
        <h2 id="plans-title" className="text-lg font-semibold text-slate-900">
          Plans
        </h2>
        <p className="mb-4 mt-0.5 text-sm text-slate-500">{billing.canManage ? "Pick the tier to move to." : "Only managers and admins can change the plan."}</p>
        <PlanPicker plans={planCatalog(billing.plan.price !== null)} current={billing.plan.id} canChoose={billing.canManage} />
      </section>
    </>
  );
}
