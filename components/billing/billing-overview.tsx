import type { BillingView } from "@/lib/billing-view";
import { CreditPurchaseForm } from "./credit-purchase-form";
import { CreditsCard } from "./credits-card";
import { PaymentMethodForm } from "./payment-method-form";
import { PlanSummary } from "./plan-summary";
import { SeatUsage } from "./seat-usage";

/**
 * Subscription, seats and credits, as both billing pages show them. The
 * forms exist only for admins: nobody else gets them in their HTML at all.
 */
export function BillingOverview({ billing, returnTo }: { billing: BillingView; returnTo: string }) {
  const admin = billing.canAct;
  return (
    <div className="grid gap-6">
      <div className="grid gap-6 lg:grid-cols-2 lg:items-start">
        <PlanSummary billing={billing} action={admin && <PaymentMethodForm orgId={billing.orgId} returnTo={returnTo} />} />
        <SeatUsage seats={billing.seats} />
      </div>
      <CreditsCard billing={billing} purchase={admin && <CreditPurchaseForm orgId={billing.orgId} returnTo={returnTo} />} />
    </div>
  );
}
