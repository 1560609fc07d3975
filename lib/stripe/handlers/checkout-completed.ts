import { recordAudit } from "@/lib/audit/record-audit";
import { lockCreditBalance, postCredit } from "@/lib/metering/credits";
import { lockOrgById } from "../billing-org";
import { creditPurchaseMetadata } from "../credit-purchase";
import type { StripeEventHandler } from "../event-handler";
import { stripeCheckoutSession } from "../stripe-objects";

/**
 * checkout.session.completed (and checkout.session.async_payment_succeeded,
 * for payment methods that settle later): a paid credit purchase becomes a
 * `grant` row in the org's credit ledger, referenced by the session id, so the
 * two events of one purchase grant it once. Sessions without the credit
 * purchase mark (plan checkouts) are left to the subscription events.
 */
export const grantPurchasedCredits: StripeEventHandler = async ({ tx, event, actor }) => {
  const session = stripeCheckoutSession.parse(event.data.object);
  const purchase = creditPurchaseMetadata.safeParse(session.metadata);
  if (!purchase.success) return;
  const org = await lockOrgById(tx, purchase.data.orgId);
  if (!org) return;
  // Not paid yet (a bank debit, say): async_payment_succeeded brings the grant.
  if (!session.paid) return;

  const before = await lockCreditBalance(tx, org.id);
  const { amountMicros } = purchase.data;
  if (await postCredit(tx, org.id, "grant", amountMicros, session.id)) {
    await recordAudit(tx, {
      orgId: org.id,
      actor,
      action: "credits_granted",
      before: { balanceMicros: before },
      after: { balanceMicros: before + amountMicros, amountMicros, checkoutSessionId: session.id },
    });
  }
};
