"use client";

import { useActionState } from "react";
import type { IntervalChoice } from "@/lib/billing-view";
import type { PlanId } from "@/lib/limits/plans";
import type { BillingInterval } from "@/lib/limits/stripe-prices";
import { confirmPlanChange } from "@/lib/stripe/billing-page-actions";
import { ActionMessage } from "./action-message";
import { SubmitButton } from "@/components/ui/submit-button";

/**
 * Confirms a plan change: Checkout for an org without a subscription, else an
 * update of the subscription. A paid plan is billed monthly or yearly; Free
 * has nothing to bill, so it asks for no interval.
 */
export function PlanChangeForm({
  orgId,
  plan,
  planName,
  intervals,
  defaultInterval,
  returnTo,
}: {
  orgId: string;
  plan: PlanId;
  planName: string;
  intervals: IntervalChoice[];
  defaultInterval: BillingInterval;
  returnTo: string;
}) {
  const [state, action] = useActionState(confirmPlanChange, null);
  return (
    <form action={action} className="mt-5 flex flex-wrap items-center gap-x-6 gap-y-3">
      <input type="hidden" name="orgId" value={orgId} />
      <input type="hidden" name="plan" value={plan} />
      <input type="hidden" name="returnTo" value={returnTo} />
      {intervals.length > 0 && (
        <fieldset className="flex flex-wrap gap-4 text-sm text-slate-700">
          <legend className="sr-only">Billing interval</legend>
          {intervals.map((choice) => (
            <label key={choice.interval} className="inline-flex items-center gap-2">
              <input type="radio" name="interval" value={choice.interval} defaultChecked={choice.interval === defaultInterval} className="accent-blue-600" />
              {choice.label}
            </label>
          ))}
        </fieldset>
      )}
      <SubmitButton pendingLabel="Asking Stripe…">{plan === "free" ? "Confirm move to Free" : `Confirm change to ${planName}`}</SubmitButton>
      <ActionMessage state={state} testId="plan-change-message" className="w-full" />
    </form>
  );
}
