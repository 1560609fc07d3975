import { recordAudit } from "@/lib/audit/record-audit";
import { lockTopUp, topUpGrantReference } from "@/lib/metering/auto-top-up";
import { grantCredits } from "@/lib/metering/credit-grants";
import { lockCreditBalance } from "@/lib/metering/credits";
import type { StripeEventHandler } from "../event-handler";
import { topUpOfIntent } from "./top-up-intent";

/**
 * payment_intent.succeeded for an automatic top-up (metadata purpose
 * auto_top_up): the credits are granted (source top_up, never expiring,
 * referenced `top-up:<id>`), the top-up is marked succeeded and the grant is
 * audited, all in the event's transaction. A replay finds the event recorded,
 * and a second event for the same top-up finds the reference used: nothing is
 * granted twice. The money arrived, so a top-up already marked failed (a
 * sender that gave up) is credited too. Other payment intents (Checkout's
 * credit purchases) are left to their own events.
 */
export const creditAutoTopUp: StripeEventHandler = async ({ tx, event, actor, now }) => {
  const found = await topUpOfIntent(tx, event);
  if (!found) return;
  const { orgId, topUpId, intent } = found;
  const topUp = await lockTopUp(tx, orgId, topUpId);
  if (!topUp || topUp.status === "succeeded" || topUp.status === "refused") return;

  const before = await lockCreditBalance(tx, orgId);
  const granted = await grantCredits(tx, { orgId, source: "top_up", amountMicros: topUp.amountMicros, reference: topUpGrantReference(topUpId), now });
  await tx.$executeRaw`
    UPDATE credit_top_ups SET status = 'succeeded', payment_intent_id = ${intent.id}, failure = NULL, lease_until = NULL, updated_at = ${now}
    WHERE org_id = ${orgId} AND id = ${BigInt(topUpId)}`;
  if (!granted) return;
  await recordAudit(tx, {
    orgId,
    actor,
    action: "auto_top_up_succeeded",
    before: { balanceMicros: before, status: topUp.status },
    after: { balanceMicros: before + topUp.amountMicros, amountMicros: topUp.amountMicros, topUpId, paymentIntentId: intent.id, status: "succeeded" },
  });
};
