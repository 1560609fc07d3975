import type { SqlExecutor } from "./sql-executor";

/**
 * The ledger is partitioned by month of created_at (migration
 * 20261202220000_ledger_by_month). Each month's partition is made this many
 * months ahead, by the migration runner and by every server's upkeep loop, so
 * that no insert ever finds its month missing.
 */
export const LEDGER_MONTHS_AHEAD = 3;

/**
 * A month's key index is kept this long after the idempotency window has left
 * the month behind, so that an instance whose clock lags cannot look for keys
 * in a month whose index another instance has just dropped.
 */
export const KEY_INDEX_GRACE_MS = 3_600_000;

/** Creates the monthly partitions still missing up to LEDGER_MONTHS_AHEAD months from now; returns how many. */
export async function ensureLedgerPartitions(db: Pick<SqlExecutor, "query">): Promise<number> {
  // A database migrated only part of the way (the migration runner's own tests) has no ledger to partition.
  const [{ present }] = await db.query<{ present: boolean }>(`SELECT to_regprocedure('ledgerline_ledger_partitions(timestamptz)') IS NOT NULL AS present`);
  if (!present) return 0;
  const [row] = await db.query<{ created: number }>(
    `SELECT ledgerline_ledger_partitions(now() + make_interval(months => $1::int)) AS created`,
    [LEDGER_MONTHS_AHEAD],
  );
  return row.created;
}

/**
 * Drops the key index (<partition>_key_idx, an org's idempotency keys) of
 * every ledger partition that ended before `keysSince`: no request looks for
 * keys recorded before that instant, so no lookup reaches the partition. The
 * index is the only part of a key's record that the window bounds; the ledger
 * rows stay. DROP INDEX CONCURRENTLY waits for the statements using the
 * partition and blocks none, so enforcement never waits for it. Returns the
 * indexes dropped.
 */
export async function retireKeyIndexes(db: Pick<SqlExecutor, "query" | "exec">, keysSince: Date): Promise<string[]> {
  const retired = await db.query<{ name: string }>(
    `SELECT i.relname AS name
     FROM pg_inherits h
     JOIN pg_class p ON p.oid = h.inhrelid
     JOIN pg_index x ON x.indrelid = p.oid
     JOIN pg_class i ON i.oid = x.indexrelid
     WHERE h.inhparent = to_regclass('usage_ledger') AND i.relname = p.relname || '_key_idx'
       AND (regexp_match(pg_get_expr(p.relpartbound, p.oid), 'TO \\(''(.*)''\\)'))[1]::timestamptz <= $1
     ORDER BY 1`,
    [new Date(keysSince.getTime() - KEY_INDEX_GRACE_MS)],
  );
  for (const { name } of retired) await db.exec(`DROP INDEX CONCURRENTLY IF EXISTS "${name}"`);
  return retired.map((row) => row.name);
}
