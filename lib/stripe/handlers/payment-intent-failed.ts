import { failTopUp } from "@/lib/metering/auto-top-up";
import type { StripeEventHandler } from "../event-handler";
import { topUpOfIntent } from "./top-up-intent";

/**
 * payment_intent.payment_failed for an automatic top-up: the top-up is marked
 * failed and each admin is told once (the sender may have recorded the same
 * decline from Stripe's answer already; then nothing changes). AI access is
 * left as it is: a failed top-up never pauses AI by itself, the org keeps
 * the credits and pool it has. Nothing is retried until the balance crosses
 * the threshold again.
 */
export const failAutoTopUp: StripeEventHandler = async ({ tx, event, actor, now }) => {
  const found = await topUpOfIntent(tx, event);
  if (!found) return;
  const { orgId, topUpId, intent } = found;
  const reason = intent.lastPaymentError ?? "the payment failed";
  await failTopUp(tx, { orgId, topUpId, paymentIntentId: intent.id, failure: `Stripe could not charge the saved payment method: ${reason}`, actor, now });
};
