import type { PaymentState } from "@/lib/billing-view";

const TONES = {
  warning: "border-amber-200 bg-amber-50 text-amber-900",
  danger: "border-red-200 bg-red-50 text-red-800",
};

/** A payment problem (past due, or failed and AI paused) at the top of the page, where nobody misses it. */
export function PaymentAlert({ payment, canAct }: { payment: PaymentState; canAct: boolean }) {
  if (payment.tone !== "warning" && payment.tone !== "danger") return null;
  return (
    <div role="alert" data-testid="payment-alert" data-tone={payment.tone} className={`mb-6 rounded-xl border px-5 py-4 text-sm ${TONES[payment.tone]}`}>
      <p className="font-semibold">{payment.label}</p>
      <p className="mt-0.5">
        {payment.detail} {canAct ? "Update the payment method below to settle it." : "An admin can update the payment method to settle it."}
      </p>
    </div>
  );
}
