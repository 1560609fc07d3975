import type { ReturnNotice as Notice } from "@/lib/stripe/checkout-return";

/** What happened at Stripe Checkout, when Stripe sends the admin back here. */
export function ReturnNotice({ notice }: { notice: Notice | null }) {
  if (!notice) return null;
  const tone = notice.tone === "success" ? "border-emerald-200 bg-emerald-50 text-emerald-900" : "border-slate-200 bg-slate-50 text-slate-700";
  return (
    <p role="status" data-testid="return-notice" className={`mb-6 rounded-xl border px-5 py-3 text-sm ${tone}`}>
      {notice.message}
    </p>
  );
}
