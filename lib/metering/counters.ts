import type { CounterKey, Tx } from "./types";

/** Reads a counter's usage and open holds (zero when it does not exist yet). */
export async function readCounter(tx: Tx, key: CounterKey) {
  const rows = await tx.$queryRaw<{ used: bigint; held: bigint }[]>`
    SELECT used, held FROM usage_counters
    WHERE org_id = ${key.orgId} AND user_id = ${key.userId} AND metric = ${key.metric} AND period_start = ${key.periodStart}`;
  return rows.length ? { used: Number(rows[0].used), held: Number(rows[0].held) } : { used: 0, held: 0 };
}
