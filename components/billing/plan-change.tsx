import type { ReactNode } from "react";
import type { PlanOption } from "@/lib/billing-view";
import { Card, CardHeader } from "@/components/ui/card";

/**
 * The change picked from the plan catalog, set side by side with the current
 * plan. `confirm` is the admin's form; everyone else reads why they have none.
 */
export function PlanChange({ from, to, description, confirm }: { from: PlanOption; to: PlanOption; description: string; confirm: ReactNode }) {
  return (
    <Card aria-labelledby="plan-change-title" className="p-5 ring-2 ring-blue-600 sm:p-6" data-testid="plan-change">
      <CardHeader id="plan-change-title" title={`Change from ${from.name} to ${to.name}`} description={description} />
      <div className="mt-4 grid gap-4 sm:grid-cols-2">
        {[from, to].map((plan, i) => (
          <div key={plan.id} className="rounded-lg bg-slate-50 px-4 py-3">
            <p className="text-xs font-semibold uppercase tracking-wide text-slate-500">{i === 0 ? "Current" : "New"}</p>
            <p className="mt-1 font-semibold text-slate-900">
              {plan.name}
              <span className="ml-2 font-normal text-slate-600">{`${plan.price.amount}${plan.price.per}`}</span>
            </p>
            <ul className="mt-2 space-y-1 text-sm text-slate-600">
              {plan.highlights.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          </div>
        ))}
      </div>
      {confirm}
    </Card>
  );
}
