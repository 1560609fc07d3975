import type { BillingActionState } from "@/lib/stripe/billing-outcome";

/** What a billing action answered, under its form; announced to screen readers as it appears. */
export function ActionMessage({ state, testId, className = "" }: { state: BillingActionState; testId: string; className?: string }) {
  return (
    <p role="status" data-testid={testId} className={`text-sm empty:hidden ${state?.tone === "error" ? "text-red-700" : "text-emerald-800"} ${className}`}>
      {state?.message}
    </p>
  );
}
