import type { PlanOption } from "@/lib/billing-view";
import type { PlanId } from "@/lib/limits/plans";
import { ButtonLink } from "@/components/ui/button-link";
import { ADMIN_BILLING_PATH } from "@/lib/plan-upgrade";

/**
 * The plan catalog with the current plan marked. Choosing a plan leads to
 * Admin > Billing with that plan selected, where the change is confirmed.
 */
export function PlanPicker({ plans, current, canChoose }: { plans: PlanOption[]; current: PlanId; canChoose: boolean }) {
  return (
    <ul className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
      {plans.map((plan) => {
        const isCurrent = plan.id === current;
        return (
          <li key={plan.id} data-testid={`plan-${plan.id}`} className={`flex flex-col rounded-xl bg-white p-5 shadow-sm ring-1 ${isCurrent ? "ring-2 ring-blue-600" : "ring-slate-200"}`}>
            <div className="flex items-center justify-between">
              <h3 className="text-base font-semibold text-slate-900">{plan.name}</h3>
              {isCurrent && <span className="rounded-full bg-blue-50 px-2 py-0.5 text-xs font-semibold text-blue-700">Current plan</span>}
            </div>
            <p className="mt-2">
              <span className="text-2xl font-semibold tabular-nums text-slate-900">{plan.price.amount}</span>
              <span className="text-sm text-slate-500">{plan.price.per}</span>
            </p>
            <ul className="mt-3 space-y-1.5 text-sm text-slate-600">
              {plan.highlights.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
            <div className="mt-auto pt-5">
              {!isCurrent && canChoose && (
                <ButtonLink href={`${ADMIN_BILLING_PATH}?plan=${plan.id}`} variant="secondary" className="w-full">
                  Choose {plan.name}
                </ButtonLink>
              )}
            </div>
          </li>
        );
      })}
    </ul>
  );
}
