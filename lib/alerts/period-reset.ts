import type { PrismaClient } from "@/lib/generated/prisma/client";
import { billingPeriodFor } from "@/lib/billing-cycle";
import { TX_OPTIONS } from "@/lib/metering/types";

/** No billing period is shorter than 28 days, so only alerts older than this can belong to one that ended. */
const SHORTEST_PERIOD_MS = 28 * 86_400_000;
/** How far back the sweep looks: a dispatcher stopped for longer than this leaves older cycles silent. */
const LOOKBACK_MS = 100 * 86_400_000;

interface OpenAlert {
  user_id: string;
  metric: string;
  period_start: Date;
  threshold: number;
  limit_value: bigint;
  used: bigint | null;
}

/**
 * "Resolved at reset": when a billing period ends, every alert still raised
 * for it (raised, and not resolved at or after that time, for that counter and
 * threshold) gets a 'resolved' alert with cause 'period_reset', which then
 * fans out like any other. Cumulative metrics never reset and are left alone.
 * The sweep works org by org, each in its own transaction under the org's row
 * lock, so concurrent sweepers resolve each raised alert once and no
 * transaction spans orgs. Order is by time, never by id: on Citus ids from
 * different nodes do not sort in the order they were written.
 */
export async function resolveEndedPeriods(db: PrismaClient, now = new Date()): Promise<number> {
  const window = { from: new Date(now.getTime() - LOOKBACK_MS), to: new Date(now.getTime() - SHORTEST_PERIOD_MS) };
  const orgs = await db.$queryRaw<{ org_id: string }[]>`
    SELECT DISTINCT org_id FROM usage_alerts
    WHERE state = 'raised' AND period_start > to_timestamp(0) AND period_start BETWEEN ${window.from} AND ${window.to}`;
  let resolved = 0;
  for (const { org_id: orgId } of orgs) resolved += await resolveOrg(db, orgId, window, now);
  return resolved;
}

async function resolveOrg(db: PrismaClient, orgId: string, window: { from: Date; to: Date }, now: Date): Promise<number> {
  return db.$transaction(async (tx) => {
    const [org] = await tx.$queryRaw<{ billing_anchor: Date }[]>`SELECT billing_anchor FROM orgs WHERE id = ${orgId} FOR UPDATE`;
    if (!org) return 0;
    const open = await tx.$queryRaw<OpenAlert[]>`
      SELECT DISTINCT ON (r.user_id, r.metric, r.period_start, r.threshold)
        r.user_id, r.metric, r.period_start, r.threshold, r.limit_value, c.used
      FROM usage_alerts r
      LEFT JOIN usage_counters c ON c.org_id = r.org_id AND c.user_id = r.user_id AND c.metric = r.metric AND c.period_start = r.period_start
      WHERE r.org_id = ${orgId} AND r.state = 'raised'
        AND r.period_start > to_timestamp(0) AND r.period_start BETWEEN ${window.from} AND ${window.to}
        AND NOT EXISTS (
          SELECT 1 FROM usage_alerts later
          WHERE later.org_id = r.org_id AND later.user_id = r.user_id AND later.metric = r.metric
            AND later.period_start = r.period_start AND later.threshold = r.threshold
            AND later.state = 'resolved' AND later.created_at >= r.created_at
        )
      ORDER BY r.user_id, r.metric, r.period_start, r.threshold, r.created_at DESC`;
    const ended = open.filter((a) => billingPeriodFor(org.billing_anchor, now).start > a.period_start);
    if (!ended.length) return 0;
    await tx.usageAlert.createMany({
      data: ended.map((a) => ({
        orgId,
        userId: a.user_id,
        metric: a.metric,
        periodStart: a.period_start,
        threshold: a.threshold,
        state: "resolved",
        cause: "period_reset",
        used: a.used ?? 0n,
        limitValue: a.limit_value,
        createdAt: now,
      })),
    });
    return ended.length;
  }, TX_OPTIONS);
}
