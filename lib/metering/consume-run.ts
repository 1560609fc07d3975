import type { SqlExecutor } from "@/lib/db/sql-executor";
import { keysSince } from "./idempotency";

/**
 * The common case of enforcement in one call: a run of events on one org
 * counter (one metric and period, no member allocation to check, distinct
 * idempotency keys, quantities not negative) that fits within the cap as a
 * whole. A single event, a coalesced burst of requests and a batch of API
 * calls all usually look like this.
 *
 * ledgerline_consume_run (prisma/sql/ledgerline_consume_run.sql) takes the
 * org's key locks, decides the whole run with one conditional update of the
 * counter (ledgerline_fits, with the org and key checks and the look for the
 * run's keys within the idempotency window inline) and writes the ledger rows
 * (each its key's record), the daily rollup and any threshold alerts (each
 * event's own running total, as the general path records them), one statement
 * each, so that Citus runs each on the org's worker.
 *
 * Anything else (a run that does not fit, a key already used, a new period's
 * first event, a stale org version, a bad key) updates nothing and returns
 * null: the caller then runs ledgerline_consume, which decides event by event.
 */

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
  resetsAt: Date | null;
  events: { idempotencyKey: string; hash: string; quantity: number; userId: string | null }[];
}

/** The counter's use after each event of the run, in order; or null when the general path must decide. */
export async function consumeRun(sql: SqlExecutor, run: CounterRun): Promise<number[] | null> {
  const [row] = await sql.query<{ used: (string | number | bigint)[] | null }>(
    `SELECT ledgerline_consume_run($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) AS used`,
    [
      run.orgId, run.configVersion, run.apiKeyHash, run.touchKey, run.now, keysSince(run.now), run.metric, run.periodStart, run.ceiling, run.limit, run.resetsAt,
      run.events.map((e) => e.idempotencyKey),
      run.events.map((e) => e.hash),
      run.events.map((e) => e.quantity),
      run.events.map((e) => e.userId),
    ],
    { name: "ledgerline_consume_run", orgId: run.orgId },
  );
  return row.used ? row.used.map(Number) : null;
}
