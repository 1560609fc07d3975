import { z } from "zod";

/** Where Stripe Checkout sends the admin back: the page's query names how it went. */

export interface ReturnNotice {
  tone: "success" | "neutral";
  message: string;
}

const returnQuery = z.object({
  checkout: z.enum(["success", "canceled"]).optional().catch(undefined),
  credits: z.enum(["success", "canceled"]).optional().catch(undefined),
});

/**
 * What to say when Stripe sends the admin back (?checkout= or ?credits=).
 * The page never waits for the webhook: it says the change is on its way.
 */
export function returnNotice(searchParams: Record<string, string | string[] | undefined>): ReturnNotice | null {
  const { checkout, credits } = returnQuery.parse(searchParams);
  if (checkout === "success") return { tone: "success", message: "Checkout is complete. The new plan shows here as soon as Stripe confirms the subscription." };
  if (credits === "success") return { tone: "success", message: "Checkout is complete. The credits join the balance as soon as Stripe confirms the payment." };
  if (checkout === "canceled" || credits === "canceled") return { tone: "neutral", message: "Checkout was canceled; nothing was charged." };
  return null;
}
