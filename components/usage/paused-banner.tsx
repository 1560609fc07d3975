import Link from "next/link";
import { SETTINGS_BILLING_PATH } from "@/lib/plan-upgrade";

/** Red, at the top of the AI panel, while AI access is paused for a failed payment. */
export function PausedBanner({ viewerIsAdmin }: { viewerIsAdmin: boolean }) {
  const billing = (
    <Link href={SETTINGS_BILLING_PATH} className="font-semibold underline underline-offset-2 hover:text-red-950">
      Settings &gt; Billing
    </Link>
  );
  return (
    <div role="alert" data-testid="paused-banner" className="-mx-5 -mt-5 mb-5 rounded-t-xl border-b border-red-200 bg-red-50 px-5 py-3 text-sm text-red-800 sm:-mx-6 sm:-mt-6 sm:px-6">
      <p className="font-semibold text-red-900">AI access is paused: a payment is past due.</p>
      <p className="mt-0.5">
        {viewerIsAdmin ? <>Update the payment method in {billing} to restore access.</> : <>An admin must update the payment method in {billing} to restore access.</>}
      </p>
    </div>
  );
}
