import { formatMicros } from "@/lib/format";

/**
 * The admins' notification about an automatic top-up that was not bought:
 * refused past the monthly cap, or failed at Stripe. Worded when read, from
 * the top-up itself; amounts only for readers who may see dollars. Either
 * way AI keeps running on what is left: neither pauses it.
 */
export function describeTopUpNotice(
  topUp: { status: string; amountMicros: number; failure: string | null },
  showDollars: boolean,
): { title: string; detail: string } {
  const amount = showDollars ? ` of ${formatMicros(topUp.amountMicros)}` : "";
  if (topUp.status === "refused") {
    return {
      title: "Auto top-up refused: monthly cap reached",
      detail: `A top-up${amount} was not bought: this month's top-ups would pass the monthly cap. Raise the cap or buy credits in Settings > Billing; AI keeps using the credits and pool left.`,
    };
  }
  return {
    title: "Auto top-up failed",
    detail: `A top-up${amount} could not be charged. ${topUp.failure ?? ""} AI access is not paused; it keeps using the credits and pool left. Check the payment method in Settings > Billing.`.replace(/\s+/g, " "),
  };
}
