import type { SqlExecutor } from "@/lib/db/migrate";
import type { CounterKey } from "./types";

/** Reads a counter's usage and open holds (zero when it does not exist yet). */
export async function readCounter(sql: SqlExecutor, key: CounterKey) {
  const rows = await sql.query<{ used: string; held: string }>(
    `SELECT used::text, held::text FROM usage_counters WHERE org_id = $1 AND user_id = $2 AND metric = $3 AND period_start = $4`,
    [key.orgId, key.userId, key.metric, key.periodStart],
  );
  return rows.length ? { used: Number(rows[0].used), held: Number(rows[0].held) } : { used: 0, held: 0 };
}
