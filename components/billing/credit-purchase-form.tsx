"use client";

import { useActionState } from "react";
import { CREDIT_PURCHASE } from "@/lib/limits/stripe-prices";
import { buyCredits } from "@/lib/stripe/billing-page-actions";
import { ActionMessage } from "./action-message";
import { SubmitButton } from "@/components/ui/submit-button";

const DOLLAR = 1_000_000;

/** Buy credits: Checkout in payment mode for the amount; the webhook adds it to the balance once paid. */
export function CreditPurchaseForm({ orgId, returnTo }: { orgId: string; returnTo: string }) {
  const [state, action] = useActionState(buyCredits, null);
  return (
    <form action={action} className="mt-4 rounded-lg bg-slate-50 px-4 py-3">
      <input type="hidden" name="orgId" value={orgId} />
      <input type="hidden" name="returnTo" value={returnTo} />
      <label htmlFor="credit-amount" className="block text-sm font-medium text-slate-700">
        Amount to buy
      </label>
      <div className="mt-1.5 flex flex-wrap items-center gap-3">
        <div className="relative">
          <span aria-hidden="true" className="pointer-events-none absolute inset-y-0 left-3 flex items-center text-sm text-slate-500">
            $
          </span>
          <input
            id="credit-amount"
            name="amount"
            type="number"
            inputMode="decimal"
            required
            min={CREDIT_PURCHASE.minMicros / DOLLAR}
            max={CREDIT_PURCHASE.maxMicros / DOLLAR}
            step={CREDIT_PURCHASE.stepMicros / DOLLAR}
            defaultValue={50}
            className="w-32 rounded-lg border-0 bg-white py-2 pl-7 pr-3 text-sm tabular-nums text-slate-900 ring-1 ring-slate-300 focus:ring-2 focus:ring-blue-600"
          />
        </div>
        <SubmitButton pendingLabel="Opening Checkout…">Buy credits</SubmitButton>
      </div>
      <p className="mt-1.5 text-xs text-slate-500">Paid through Stripe Checkout; the credits join the balance once Stripe confirms the payment.</p>
      <ActionMessage state={state} testId="credit-purchase-message" className="mt-1.5" />
    </form>
  );
}
