import { recordAudit } from "@/lib/audit/record-audit";
import type { Tx } from "@/lib/metering/types";
import type { BillingOrg } from "./billing-org";

export interface PaymentNews {
  /** True: Stripe gave up collecting; false: the org is paid up again. */
  paused: boolean;
  /** When Stripe created the event that brought the news. */
  at: Date;
  actor: string;
  reason: "retries_exhausted" | "subscription_unpaid" | "invoice_paid" | "subscription_active" | "subscription_ended";
}

/**
 * Pauses or restores the org's AI access. News older than the newest already
 * applied is ignored (a late payment failure never undoes a newer restore).
 * While paused, authorizeAi answers 402 ai_access_paused; every other meter
 * keeps working. Only an actual change is audited.
 */
export async function setAiPause(tx: Tx, org: BillingOrg, news: PaymentNews) {
  if (org.paymentStateAt && news.at < org.paymentStateAt) return;
  await tx.org.update({ where: { id: org.id }, data: { aiPaused: news.paused, paymentStateAt: news.at } });
  if (org.aiPaused === news.paused) return;
  await recordAudit(tx, {
    orgId: org.id,
    actor: news.actor,
    action: news.paused ? "ai_paused" : "ai_restored",
    before: { aiPaused: org.aiPaused },
    after: { aiPaused: news.paused, reason: news.reason },
  });
}
