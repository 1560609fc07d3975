"use client";

import { useActionState } from "react";
import { openBillingPortal } from "@/lib/stripe/billing-page-actions";
import { ActionMessage } from "./action-message";
import { SubmitButton } from "@/components/ui/submit-button";

/** Update payment method: opens Stripe's Billing Portal, which comes back to this page. */
export function PaymentMethodForm({ orgId, returnTo }: { orgId: string; returnTo: string }) {
  const [state, action] = useActionState(openBillingPortal, null);
  return (
    <form action={action} className="flex flex-col items-end gap-1">
      <input type="hidden" name="orgId" value={orgId} />
      <input type="hidden" name="returnTo" value={returnTo} />
      <SubmitButton variant="secondary" pendingLabel="Opening Stripe…">
        Update payment method
      </SubmitButton>
      <ActionMessage state={state} testId="payment-method-message" className="max-w-xs text-right" />
    </form>
  );
}
