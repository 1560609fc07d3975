import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import type { Mailer } from "@/lib/mail/mailer";
import { TX_OPTIONS, type Tx } from "@/lib/metering/types";
import type { AlertEmailContent } from "./alert-payloads";
import { retryDelayMs } from "./retry-schedule";
import { SIGNATURE_HEADER, signatureHeader } from "./webhook-signature";
import { postWebhook, type PostOutcome } from "./webhook-post";
import { metrics } from "@/lib/observability/metrics";

/**
 * Sends due alert deliveries (webhook posts and admin emails), one row per
 * attempt. A row is claimed with a lease in its own short statement, so no
 * transaction stays open across the network; the outcome is recorded with the
 * next attempt, if any, in one transaction. An attempt whose dispatcher
 * stopped before recording (its lease ran out) counts as failed and is retried.
 */

interface DeliveryRow {
  id: bigint;
  org_id: string;
  alert_id: bigint;
  channel: "webhook" | "email";
  recipient: string;
  attempt: number;
  payload: unknown;
}

interface Outcome {
  ok: boolean;
  status?: number | null;
  error?: string | null;
  /** False when trying again cannot help (the endpoint was removed). */
  retry?: boolean;
}

const LEASE_MS = 60_000;
const CLAIM = 25;

export interface DeliveryTotals {
  succeeded: number;
  failed: number;
}

/**
 * Sends what is due, org by org: the orgs with due deliveries are read without
 * a lock, then each org's are claimed with FOR UPDATE SKIP LOCKED, a
 * single-org statement (Citus refuses a locking read across shards).
 */
export async function deliverDue({ db, mailer }: { db: PrismaClient; mailer: Mailer }, now = new Date()): Promise<DeliveryTotals> {
  await failExpiredLeases(db, now);
  const totals = { succeeded: 0, failed: 0 };
  const due = await db.$queryRaw<{ org_id: string }[]>`
    SELECT DISTINCT org_id FROM alert_deliveries WHERE state = 'scheduled' AND scheduled_at <= ${now}`;
  for (const { org_id: orgId } of due) {
    for (;;) {
      const claimed = await db.$queryRaw<DeliveryRow[]>`
        UPDATE alert_deliveries d SET state = 'sending', started_at = ${now}, lease_until = ${new Date(now.getTime() + LEASE_MS)}
        WHERE d.org_id = ${orgId} AND d.id IN (
          SELECT id FROM alert_deliveries WHERE org_id = ${orgId} AND state = 'scheduled' AND scheduled_at <= ${now}
          ORDER BY scheduled_at, id LIMIT ${CLAIM} FOR UPDATE SKIP LOCKED
        )
        RETURNING d.id, d.org_id, d.alert_id, d.channel, d.recipient, d.attempt, d.payload`;
      // In parallel: each attempt ends (10 s timeout) well within its lease.
      await Promise.all(
        claimed.map(async (delivery) => {
          const outcome = delivery.channel === "webhook" ? await sendWebhook(db, delivery, now) : await sendEmail(mailer, delivery);
          await recordOutcome(db, delivery, outcome, now);
          totals[outcome.ok ? "succeeded" : "failed"] += 1;
          metrics().alertDeliveries.inc({ channel: delivery.channel, outcome: outcome.ok ? "succeeded" : "failed" });
        }),
      );
      if (claimed.length < CLAIM) break;
    }
  }
  return totals;
}

async function sendWebhook(db: PrismaClient, delivery: DeliveryRow, now: Date): Promise<Outcome> {
  const endpoint = await db.webhookEndpoint.findUnique({ where: { orgId: delivery.org_id } });
  if (!endpoint || endpoint.url !== delivery.recipient) {
    return { ok: false, retry: false, error: "The webhook URL was changed or removed, so this delivery stops here." };
  }
  const body = JSON.stringify(delivery.payload);
  const sent: PostOutcome = await postWebhook(endpoint.url, body, {
    [SIGNATURE_HEADER]: signatureHeader(endpoint.secret, body, now),
    "Ledgerline-Delivery": String(delivery.id),
  });
  return { ok: sent.status !== null && sent.status >= 200 && sent.status < 300, status: sent.status, error: sent.error };
}

async function sendEmail(mailer: Mailer, delivery: DeliveryRow): Promise<Outcome> {
  const content = delivery.payload as AlertEmailContent;
  try {
    await mailer.send({ orgId: delivery.org_id, to: delivery.recipient, ...content, idempotencyKey: `alert:${delivery.alert_id}:${delivery.recipient}` });
    return { ok: true };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

async function recordOutcome(db: PrismaClient, delivery: DeliveryRow, outcome: Outcome, now: Date) {
  await db.$transaction(async (tx) => {
    const updated = await tx.alertDelivery.updateMany({
      where: { orgId: delivery.org_id, id: delivery.id, state: "sending" },
      data: { state: outcome.ok ? "succeeded" : "failed", finishedAt: now, leaseUntil: null, responseStatus: outcome.status ?? null, error: outcome.error ?? null },
    });
    // Another dispatcher already took this attempt as lost and scheduled the next one.
    if (!updated.count || outcome.ok || outcome.retry === false) return;
    await scheduleNext(tx, delivery, now);
  }, TX_OPTIONS);
}

async function failExpiredLeases(db: PrismaClient, now: Date) {
  const stalled = await db.$queryRaw<{ org_id: string }[]>`
    SELECT DISTINCT org_id FROM alert_deliveries WHERE state = 'sending' AND lease_until < ${now}`;
  for (const { org_id: orgId } of stalled) {
    await db.$transaction(async (tx) => {
      const lost = await tx.$queryRaw<DeliveryRow[]>`
        UPDATE alert_deliveries SET state = 'failed', finished_at = ${now}, lease_until = NULL,
          error = 'No outcome recorded: the dispatcher stopped during this attempt.'
        WHERE org_id = ${orgId} AND id IN (
          SELECT id FROM alert_deliveries WHERE org_id = ${orgId} AND state = 'sending' AND lease_until < ${now} FOR UPDATE SKIP LOCKED)
        RETURNING id, org_id, alert_id, channel, recipient, attempt, payload`;
      for (const delivery of lost) await scheduleNext(tx, delivery, now);
    }, TX_OPTIONS);
  }
}

async function scheduleNext(tx: Tx, delivery: DeliveryRow, now: Date) {
  const delay = retryDelayMs(delivery.attempt);
  if (delay === null) return;
  await tx.alertDelivery.createMany({
    data: [{
      orgId: delivery.org_id,
      alertId: delivery.alert_id,
      channel: delivery.channel,
      recipient: delivery.recipient,
      attempt: delivery.attempt + 1,
      payload: delivery.payload as Prisma.InputJsonValue,
      scheduledAt: new Date(now.getTime() + delay),
    }],
    skipDuplicates: true,
  });
}
