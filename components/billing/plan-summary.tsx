import type { ReactNode } from "react";
import type { BillingView, PaymentTone } from "@/lib/billing-view";
import { Card, CardHeader } from "@/components/ui/card";

const TONE_BADGE: Record<PaymentTone, string> = {
  ok: "bg-emerald-50 text-emerald-800 ring-emerald-200",
  neutral: "bg-slate-50 text-slate-700 ring-slate-200",
  warning: "bg-amber-50 text-amber-900 ring-amber-200",
  danger: "bg-red-50 text-red-800 ring-red-200",
};

/** Plan, interval, status, next reset and payment state; `action` is the admin's Update payment method. */
export function PlanSummary({ billing, action }: { billing: BillingView; action?: ReactNode }) {
  const rows: [string, ReactNode][] = [
    ["Plan", <span key="plan" data-testid="billing-plan">{billing.plan.name}</span>],
    ["Price", <span key="price" data-testid="billing-price">{`${billing.plan.price.amount}${billing.plan.price.per}`}</span>],
    ["Billing interval", billing.intervalLabel],
    ["Subscription status", billing.statusLabel],
    ["Usage resets", <span key="reset" data-testid="next-reset">{billing.nextReset}</span>],
    [
      "Payment",
      <span key="payment" data-testid="payment-state">
        <span className={`inline-flex rounded-full px-2 py-0.5 text-xs font-semibold ring-1 ${TONE_BADGE[billing.payment.tone]}`}>{billing.payment.label}</span>
        <span className="mt-1 block text-xs text-slate-500">{billing.payment.detail}</span>
      </span>,
    ],
  ];
  return (
    <Card aria-labelledby="subscription-title" className="p-5 sm:p-6">
      <CardHeader id="subscription-title" title="Subscription" description={billing.orgName} action={action} />
      <dl className="mt-4 divide-y divide-slate-100 text-sm">
        {rows.map(([term, value]) => (
          <div key={term} className="grid gap-1 py-2.5 sm:grid-cols-3">
            <dt className="text-slate-500">{term}</dt>
            <dd className="font-medium text-slate-900 sm:col-span-2">{value}</dd>
          </div>
        ))}
      </dl>
    </Card>
  );
}
