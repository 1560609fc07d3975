import { KEY_INDEX_GRACE_MS, retireKeyIndexes } from "@/lib/db/ledger-partitions";
import type { SqlExecutor } from "@/lib/db/sql-executor";

/**
 * What every admitted event adds to the store: its ledger row, which is also
 * its idempotency key's record, with every ledger index (tables, indexes and
 * TOAST, after VACUUM). The ledger is partitioned, and a partitioned table has
 * no storage of its own (pg_total_relation_size of it is 0): its partitions
 * are summed.
 */
export async function eventBytes(sql: SqlExecutor) {
  await sql.exec("VACUUM usage_ledger");
  const [row] = await sql.query<{ bytes: string }>(
    `SELECT sum(pg_total_relation_size(relid)) AS bytes FROM pg_partition_tree('usage_ledger') WHERE isleaf`,
  );
  return Number(row.bytes);
}

/** The ledger partitions' key indexes (<partition>_key_idx): the part of a key's record the window bounds. */
export async function keyIndexBytes(sql: SqlExecutor) {
  const [row] = await sql.query<{ bytes: string | null }>(
    `SELECT sum(pg_relation_size(x.indexrelid)) AS bytes
     FROM pg_partition_tree('usage_ledger') t JOIN pg_index x ON x.indrelid = t.relid JOIN pg_class i ON i.oid = x.indexrelid
     WHERE t.isleaf AND i.relname LIKE '%\\_key\\_idx'`,
  );
  return Number(row.bytes ?? 0);
}

/**
 * The key index at steady state: the store upkeep drops a month's key index
 * once the idempotency window has left the month behind, so the index holds
 * at most a month and a window of keys, whatever the load. Shown by asking the
 * upkeep's own step what it drops once the window starts next month (run last:
 * lookups of this month's keys lose their index).
 */
export async function keyIndexRetirement(sql: SqlExecutor) {
  const before = await keyIndexBytes(sql);
  const now = new Date();
  const nextMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  const retired = await retireKeyIndexes(sql, new Date(nextMonth.getTime() + KEY_INDEX_GRACE_MS));
  return { before, after: await keyIndexBytes(sql), retired };
}
