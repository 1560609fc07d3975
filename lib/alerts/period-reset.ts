import type { PrismaClient } from "@/lib/generated/prisma/client";
import { billingPeriodFor } from "@/lib/billing-cycle";
import { TX_OPTIONS } from "@/lib/metering/types";

/** No billing period is shorter than 28 days, so only alerts older than this can belong to one that ended. */
const SHORTEST_PERIOD_MS = 28 * 86_400_000;
/** How far back the sweep looks: a dispatcher stopped for longer than this leaves older cycles silent. */
const LOOKBACK_MS = 100 * 86_400_000;

interface OpenAlert {
  org_id: string;
  user_id: string;
  metric: string;
  period_start: Date;
  threshold: number;
  limit_value: bigint;
  billing_anchor: Date;
  used: bigint | null;
}

/**
 * "Resolved at reset": when a billing period ends, every alert still raised
 * for it (its latest state for that counter and threshold is 'raised') gets a
 * 'resolved' alert with cause 'period_reset', which then fans out like any
 * other. Cumulative metrics never reset and are left alone. One sweeper at a
 * time (a transaction-scoped advisory lock; the others skip), and a threshold
 * already resolved is not resolved again, so each raised alert is resolved once.
 */
export async function resolveEndedPeriods(db: PrismaClient, now = new Date()): Promise<number> {
  return db.$transaction(async (tx) => {
    const [{ locked }] = await tx.$queryRaw<{ locked: boolean }[]>`
      SELECT pg_try_advisory_xact_lock(hashtextextended('ledgerline:alert-period-reset', 0)) AS locked`;
    if (!locked) return 0;
    const open = await tx.$queryRaw<OpenAlert[]>`
      SELECT r.org_id, r.user_id, r.metric, r.period_start, r.threshold, r.limit_value, o.billing_anchor, c.used
      FROM usage_alerts r
      JOIN orgs o ON o.id = r.org_id
      LEFT JOIN usage_counters c ON c.org_id = r.org_id AND c.user_id = r.user_id AND c.metric = r.metric AND c.period_start = r.period_start
      WHERE r.state = 'raised'
        AND r.period_start > to_timestamp(0)
        AND r.period_start BETWEEN ${new Date(now.getTime() - LOOKBACK_MS)} AND ${new Date(now.getTime() - SHORTEST_PERIOD_MS)}
        AND NOT EXISTS (
          SELECT 1 FROM usage_alerts later
          WHERE later.org_id = r.org_id AND later.user_id = r.user_id AND later.metric = r.metric
            AND later.period_start = r.period_start AND later.threshold = r.threshold AND later.id > r.id
        )`;
    const ended = open.filter((a) => billingPeriodFor(a.billing_anchor, now).start > a.period_start);
    if (!ended.length) return 0;
    await tx.usageAlert.createMany({
      data: ended.map((a) => ({
        orgId: a.org_id,
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
