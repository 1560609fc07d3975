import type { PlanCardView } from "@/lib/usage-view";
import { AskToUpgrade } from "@/components/billing/ask-to-upgrade";
import { ButtonLink } from "@/components/ui/button-link";
import { Card } from "@/components/ui/card";

export function PlanCard({ plan }: { plan: PlanCardView }) {
  return (
    <Card aria-labelledby="plan-title" className="flex flex-col p-5 sm:p-6">
      <h2 id="plan-title" className="text-xs font-semibold uppercase tracking-wide text-slate-500">
        Your plan
      </h2>
      <p className="mt-2 text-2xl font-semibold text-slate-900" data-testid="plan-name">
        {plan.name}
      </p>
      <p className="mt-1 text-sm text-slate-700" data-testid="plan-price">
        <span className="text-lg font-semibold tabular-nums text-slate-900">{plan.price.amount}</span>
        <span className="text-slate-500">{plan.price.per}</span>
      </p>
      <p className="mt-1 text-sm text-slate-500">{plan.intervalLabel}</p>
      <h3 className="mt-5 text-xs font-semibold uppercase tracking-wide text-slate-500">Included</h3>
      <ul className="mt-2 space-y-1.5 text-sm text-slate-700">
        {plan.included.map((line) => (
          <li key={line} className="flex gap-2">
            <span aria-hidden="true" className="text-blue-600">✓</span>
            {line}
          </li>
        ))}
      </ul>
      {(plan.upgradeHref || plan.askToUpgrade || plan.manageHref) && (
        <div className="mt-auto flex flex-wrap gap-2 pt-5">
          {plan.upgradeHref && <ButtonLink href={plan.upgradeHref}>Upgrade</ButtonLink>}
          {plan.askToUpgrade && <AskToUpgrade orgId={plan.askToUpgrade.orgId} />}
          {plan.manageHref && (
            <ButtonLink href={plan.manageHref} variant="secondary">
              Manage Plan
            </ButtonLink>
          )}
        </div>
      )}
    </Card>
  );
}
