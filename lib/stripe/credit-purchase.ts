import { z } from "zod";

/**
 * How a Checkout session says "this buys prepaid AI credits": its metadata,
 * written by createCreditCheckout and read back by the webhook. Checkout
 * sessions for plans carry no such mark and are ignored by the credit handler.
 */

const CREDIT_PURCHASE_PURPOSE = "credit_purchase";

export const creditPurchaseMetadata = z.object({
  purpose: z.literal(CREDIT_PURCHASE_PURPOSE),
  orgId: z.string().min(1),
  amountMicros: z.string().regex(/^[1-9]\d*$/).transform(Number),
});

export function creditPurchaseMetadataFor(orgId: string, amountMicros: number): Record<string, string> {
  return { purpose: CREDIT_PURCHASE_PURPOSE, orgId, amountMicros: String(amountMicros) };
}
