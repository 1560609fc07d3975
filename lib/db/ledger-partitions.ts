import type { SqlExecutor } from "./sql-executor";

/**
 * The ledger is partitioned by month of created_at (migration
 * 20261202220000_ledger_by_month). Each month's partition is made this many
 * months ahead, by the migration runner and by every server's upkeep loop, so
 * that no insert ever finds its month missing.
 */
export const LEDGER_MONTHS_AHEAD = 3;

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
