import { crossings } from "@/lib/limits/thresholds";
import type { CounterKey, Tx } from "./types";

/**
 * Records the alerts a counter move crosses, inside the transaction that moved
 * it (whose row lock makes each crossing seen exactly once). The consume path
 * does the same in SQL, in ledgerline_consume.
 */
export async function recordCrossings(tx: Tx, key: CounterKey, before: number, after: number, limit: number | null, now = new Date()) {
  for (const { threshold, state } of crossings(before, after, limit)) {
    await tx.$executeRaw`
      INSERT INTO usage_alerts (org_id, user_id, metric, period_start, threshold, state, used, limit_value, created_at)
      VALUES (${key.orgId}, ${key.userId}, ${key.metric}, ${key.periodStart}, ${threshold}, ${state}, ${after}::bigint, ${limit}::bigint, ${now})`;
  }
}
