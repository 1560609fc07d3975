import type { SqlExecutor } from "@/lib/db/sql-executor";

/**
 * The common case of enforcement in one call: a run of events on one org
 * counter (one metric and period, no member allocation to check, fresh and
 * distinct idempotency keys, quantities not negative) that fits within the cap
 * as a whole. A single event, a coalesced burst of requests and a batch of
 * API calls all usually look like this.
 *
 * ledgerline_consume_run (prisma/sql/ledgerline_consume_run.sql) decides the
 * whole run with one conditional update of the counter (ledgerline_fits, with
 * the org and key checks inline) and writes the keys, the ledger rows, the
 * daily rollup and any threshold alerts (each event's own running total, as
 * the general path records them), one statement each, so that Citus runs each
 * on the org's worker.
 *
 * Anything else (a run that does not fit, a new period's first event, a stale
 * org version, a bad key) updates nothing and returns null: the caller then
 * runs ledgerline_consume, which decides event by event. A key that is already
 * taken (a replay, a reuse, or a concurrent request's) fails the key insert on
 * its unique index (23505), which undoes the call whole; the caller then falls
 * back the same way.
 */
/** unique_violation: an idempotency key already in the store (the only unique index these calls can meet). */
export const KEY_TAKEN = "23505";

export interface CounterRun {
  orgId: string;
  configVersion: number;
  apiKeyHash: string | null;
  /** Record the key's use (api_key_uses) as well: at most once a minute per key and process. */
  touchKey: boolean;
  now: Date;
  metric: string;
  periodStart: Date;
  /** The highest total the org's counter may reach. */
  ceiling: number;
  limit: number | null;
  resetsAt: string | null;
  events: { idempotencyKey: string; hash: string; quantity: number; userId: string | null }[];
}

/** The counter's use after each event of the run, in order; or null when the general path must decide. */
export async function consumeRun(sql: SqlExecutor, run: CounterRun): Promise<number[] | null> {
  try {
    const [row] = await sql.query<{ used: (string | number | bigint)[] | null }>(
      `SELECT ledgerline_consume_run($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) AS used`,
      [
        run.orgId, run.configVersion, run.apiKeyHash, run.touchKey, run.now, run.metric, run.periodStart, run.ceiling, run.limit, run.resetsAt,
        run.events.map((e) => e.idempotencyKey),
        run.events.map((e) => e.hash),
        run.events.map((e) => e.quantity),
        run.events.map((e) => e.userId),
      ],
      { name: "ledgerline_consume_run", orgId: run.orgId },
    );
    return row.used ? row.used.map(Number) : null;
  } catch (error) {
    if ((error as { code?: string }).code === KEY_TAKEN) return null;
    throw error;
  }
}
