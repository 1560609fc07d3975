import { z } from "zod";

/**
 * How a PaymentIntent says "this is an automatic top-up of prepaid AI
 * credits": its metadata, written by the sender (top-up-sender.ts) and read
 * back by the payment_intent.* webhooks. Payment intents without the mark
 * (Checkout's credit purchases, invoices) are left to their own events.
 */

const AUTO_TOP_UP_PURPOSE = "auto_top_up";

export const autoTopUpMetadata = z.object({
  purpose: z.literal(AUTO_TOP_UP_PURPOSE),
  orgId: z.string().min(1),
  topUpId: z.string().regex(/^[1-9]\d{0,18}$/),
});

export function autoTopUpMetadataFor(orgId: string, topUpId: string): Record<string, string> {
  return { purpose: AUTO_TOP_UP_PURPOSE, orgId, topUpId };
}
