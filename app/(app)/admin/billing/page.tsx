import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import { z } from "zod";
import { BillingOverview } from "@/components/billing/billing-overview";
import { PaymentAlert } from "@/components/billing/payment-alert";
import { PlanChange } from "@/components/billing/plan-change";
import { PlanChangeForm } from "@/components/billing/plan-change-form";
import { PlanPicker } from "@/components/billing/plan-picker";
import { ReturnNotice } from "@/components/billing/return-notice";
import { PageHeader } from "@/components/ui/page-header";
import { canManagePlan } from "@/lib/auth/roles";
import { requireSession } from "@/lib/auth/session";
import { getBillingView, intervalChoices, planCatalog, planChangeDescription, planOption } from "@/lib/billing-view";
import { db } from "@/lib/db";
import { PLAN_IDS, PLANS } from "@/lib/limits/plans";
import { ADMIN_BILLING_PATH } from "@/lib/plan-upgrade";
import { returnNotice } from "@/lib/stripe/checkout-return";

export const metadata: Metadata = { title: "Admin billing · Ledgerline" };

const query = z.object({ plan: z.enum(PLAN_IDS).optional().catch(undefined) });

export default async function AdminBillingPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const session = await requireSession(ADMIN_BILLING_PATH);
  if (!canManagePlan(session.role)) forbidden();
  const [billing, params] = await Promise.all([getBillingView(db(), session.orgId, session.role), searchParams]);
  const target = query.parse(params).plan;
  return (
    <>
      <PageHeader trail={["Admin", "Billing"]} title="Billing administration" description="Plan, payment, seats and credits for your organization." />
      <ReturnNotice notice={returnNotice(params)} />
      <PaymentAlert payment={billing.payment} canAct={billing.canAct} />
      <div className="grid gap-6">
        {target && target !== billing.plan.id && (
          <PlanChange
            from={billing.plan}
            to={planOption(target)}
            description={planChangeDescription(billing, target)}
            confirm={
              billing.canAct && (
                <PlanChangeForm
                  orgId={billing.orgId}
                  plan={target}
                  planName={PLANS[target].name}
                  intervals={intervalChoices(target)}
                  defaultInterval={billing.interval}
                  returnTo={ADMIN_BILLING_PATH}
                />
              )
            }
          />
        )}
        <BillingOverview billing={billing} returnTo={ADMIN_BILLING_PATH} />
      </div>
      <section aria-labelledby="plans-title" className="mt-8">
        <h2 id="plans-title" className="text-lg font-semibold text-slate-900">
          Change plan
        </h2>
        <p className="mb-4 mt-0.5 text-sm text-slate-500">{billing.canAct ? "Pick a tier, then confirm the change above." : "Only admins can change the plan."}</p>
        <PlanPicker plans={planCatalog()} current={billing.plan.id} canChoose={billing.canAct} />
      </section>
    </>
  );
}
