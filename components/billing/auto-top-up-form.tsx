"use client";

import { useActionState } from "react";
import type { AutoTopUpView } from "@/lib/billing-view";
import { saveAutoTopUp } from "@/lib/stripe/billing-page-actions";
import { FormMessage } from "@/components/ui/form-message";
import { SubmitButton } from "@/components/ui/submit-button";
import { TextField } from "@/components/ui/text-field";

/** The admin's auto top-up settings: the threshold, the amount to buy, the monthly cap, and on or off. */
export function AutoTopUpForm({ orgId, values }: { orgId: string; values: NonNullable<AutoTopUpView["form"]> }) {
  const [state, action] = useActionState(saveAutoTopUp, null);
  // React resets a form to its defaults after the action: after a refusal they are what was typed, so the fix starts from it.
  const typed = state?.tone === "error" ? state.values : undefined;
  const enabled = typed ? typed.enabled === "on" : values.enabled;
  return (
    <form action={action} aria-label="Auto top-up settings" className="mt-4 grid gap-3 rounded-lg bg-slate-50 px-4 py-3">
      <input type="hidden" name="orgId" value={orgId} />
      <label className="flex items-center gap-2 text-sm font-medium text-slate-700">
        <input
          type="checkbox"
          name="enabled"
          defaultChecked={enabled}
          className="size-4 rounded border-slate-400 text-blue-600 focus:ring-2 focus:ring-blue-600"
        />
        Turn on auto top-up
      </label>
      <div className="grid gap-3 sm:grid-cols-3">
        <TextField label="When credits fall below ($)" name="threshold" errorId="auto-top-up-threshold-error" state={state} defaultValue={typed?.threshold ?? values.threshold} inputMode="decimal" required />
        <TextField label="Buy ($)" name="amount" errorId="auto-top-up-amount-error" state={state} defaultValue={typed?.amount ?? values.amount} inputMode="decimal" required />
        <TextField label="At most a month ($)" name="monthlyCap" errorId="auto-top-up-cap-error" state={state} defaultValue={typed?.monthlyCap ?? values.monthlyCap} inputMode="decimal" required />
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <SubmitButton pendingLabel="Saving…">Save auto top-up</SubmitButton>
        {/* A field's own error sits under it; the message here is the outcome (or an error no field owns). */}
        <FormMessage state={state?.fields ? null : state} testId="auto-top-up-message" />
      </div>
      <p className="text-xs text-slate-500">
        Charged off-session to the payment method saved in Stripe; the credits join the balance once Stripe confirms the payment. The cap counts this calendar month (UTC).
      </p>
    </form>
  );
}
