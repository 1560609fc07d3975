import type { Metadata } from "next";
import { AutoTopUpCard } from "@/components/billing/auto-top-up-card";
import { BillingOverview } from "@/components/billing/billing-overview";
import { PaymentAlert } from "@/components/billing/payment-alert";
import { PlanPicker } from "@/components/billing/plan-picker";
import { ReturnNotice } from "@/components/billing/return-notice";
import { PageHeader } from "@/components/ui/page-header";
import { requireSession } from "@/lib/auth/session";
import { getBillingView, planCatalog } from "@/lib/billing-view";
import { db } from "@/lib/db";
import { SETTINGS_BILLING_PATH } from "@/lib/plan-upgrade";
import { returnNotice } from "@/lib/stripe/checkout-return";

export const metadata: Metadata = { title: "Billing · Ledgerline" };

export default async function BillingPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const session = await requireSession(SETTINGS_BILLING_PATH);
  const [billing, notice] = await Promise.all([getBillingView(db(), session.orgId, session.role), searchParams.then(returnNotice)]);
  return (
    <>
      <PageHeader trail={["Settings", "Billing"]} title="Billing" description={billing.canAct ? "Your subscription, payment state, seats and credits." : "Your subscription, payment state, seats and credits (read-only)."} />
      <ReturnNotice notice={notice} />
      <PaymentAlert payment={billing.payment} canAct={billing.canAct} />
      <BillingOverview billing={billing} returnTo={SETTINGS_BILLING_PATH} />
      <div className="mt-6">
        <AutoTopUpCard orgId={billing.orgId} autoTopUp={billing.autoTopUp} />
      </div>
      <section aria-labelledby="plans-title" className="mt-8">
        <h2 id="plans-title" className="text-lg font-semibold text-slate-900">
          Plans
        </h2>
        <p className="mb-4 mt-0.5 text-sm text-slate-500">{billing.canAct ? "Pick the tier to move to." : "Only admins can change the plan."}</p>

        <PlanPicker plans={planCatalog()} current={billing.plan.id} canChoose={billing.canAct} />
      </section>
    </>
  );
}
