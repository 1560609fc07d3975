import type { CounterKey, Tx } from "./types";

/** Reads a counter's usage and open holds (zero when it does not exist yet). */
export async function readCounter(tx: Tx, key: CounterKey) {
  const rows = await tx.$queryRaw<{ used: bigint; held: bigint }[]>`
    SELECT used, held FROM usage_counters
    WHERE org_id = ${key.orgId} AND user_id = ${key.userId} AND metric = ${key.metric} AND period_start = ${key.periodStart}`;
  return rows.length ? { used: Number(rows[0].used), held: Number(rows[0].held) } : { used: 0, held: 0 };
}

export interface LedgerEntry {
  orgId: string;
  userId: string | null;
  metric: string;
  periodStart: Date;
  quantity: number;
  creditMicros?: number;
  feature?: string | null;
  tier?: string | null;
  idempotencyKey: string;
}

/**
 * Appends to the usage ledger and adds the same quantity to the daily rollup
 * in one statement, so history never needs a ledger scan.
 */
export async function appendLedger(tx: Tx, entry: LedgerEntry) {
  await tx.$executeRaw`
    WITH entry AS (
      INSERT INTO usage_ledger (org_id, user_id, metric, period_start, quantity, credit_micros, feature, tier, idempotency_key)
      VALUES (${entry.orgId}, ${entry.userId}, ${entry.metric}, ${entry.periodStart}, ${entry.quantity}::bigint,
              ${entry.creditMicros ?? 0}::bigint, ${entry.feature ?? null}, ${entry.tier ?? null}, ${entry.idempotencyKey})
      RETURNING org_id, metric, created_at, quantity
    )
    INSERT INTO usage_daily AS d (org_id, metric, day, quantity)
    SELECT org_id, metric, (created_at AT TIME ZONE 'UTC')::date, quantity FROM entry
    ON CONFLICT (org_id, metric, day) DO UPDATE SET quantity = d.quantity + EXCLUDED.quantity`;
}

/** Creates the counter if needed and locks it for the rest of the transaction. */
export async function lockCounter(tx: Tx, key: CounterKey) {
  const [row] = await tx.$queryRaw<{ used: bigint; held: bigint }[]>`
    INSERT INTO usage_counters AS c (org_id, user_id, metric, period_start)
    VALUES (${key.orgId}, ${key.userId}, ${key.metric}, ${key.periodStart})
    ON CONFLICT (org_id, user_id, metric, period_start) DO UPDATE SET used = c.used
    RETURNING used, held`;
  return { used: Number(row.used), held: Number(row.held) };
}

/**
 * Moves a counter's open holds and usage by the given amounts. With a ceiling,
 * only if used + held stays within it afterwards; returns false when it would not.
 */
export async function shiftCounter(
  tx: Tx,
  key: CounterKey,
  change: { held?: number; used?: number },
  ceiling: number | null = null,
) {
  const held = change.held ?? 0;
  const used = change.used ?? 0;
  const rows = await tx.$queryRaw<unknown[]>`
    INSERT INTO usage_counters AS c (org_id, user_id, metric, period_start, used, held)
    SELECT ${key.orgId}, ${key.userId}, ${key.metric}, ${key.periodStart}, ${used}::bigint, ${held}::bigint
    WHERE ${ceiling}::bigint IS NULL OR ${used + held}::bigint <= ${ceiling}::bigint
    ON CONFLICT (org_id, user_id, metric, period_start) DO UPDATE
      SET used = c.used + EXCLUDED.used, held = GREATEST(c.held + EXCLUDED.held, 0)
      WHERE ${ceiling}::bigint IS NULL OR c.used + c.held + EXCLUDED.used + EXCLUDED.held <= ${ceiling}::bigint
    RETURNING 1`;
  return rows.length > 0;
}

/**
 * Counts one request a cap refused, on the counter that refused it. AI holds
 * call it after their refused transaction rolled back; a failure here is only
 * logged, so the caller still gets its 429 rather than a store error.
 */
export async function countBlocked(tx: Tx, key: CounterKey) {
  try {
    await tx.$executeRaw`
      INSERT INTO usage_counters AS c (org_id, user_id, metric, period_start, blocked)
      VALUES (${key.orgId}, ${key.userId}, ${key.metric}, ${key.periodStart}, 1)
      ON CONFLICT (org_id, user_id, metric, period_start) DO UPDATE SET blocked = c.blocked + 1`;
  } catch (error) {
    console.error(`Could not count a blocked request on ${key.metric}:`, (error as Error).message);
  }
}
