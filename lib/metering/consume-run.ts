import type { SqlExecutor } from "@/lib/db/sql-executor";

/**
 * The common case of enforcement in one statement: a run of events on one org
 * counter (one metric and period, no member allocation to check, fresh and
 * distinct idempotency keys, quantities not negative) that fits within the cap
 * as a whole. A single event, a coalesced burst of requests and a batch of
 * API calls all usually look like this.
 *
 * The counter's conditional UPDATE decides for the whole run (its WHERE asks
 * ledgerline_fits, the one cap decision, which Postgres inlines; re-checked on
 * the latest row version when requests race), and
 * the keys, the ledger rows, the daily rollup and any threshold alerts (each
 * event's own running total, as the general path records them) are written
 * from its RETURNING in the same statement.
 *
 * Anything else (a run that does not fit, a new period's first event, a stale
 * org version, a bad key) updates nothing and returns null: the caller then
 * runs ledgerline_consume, which decides event by event. A key that is already
 * taken (a replay, a reuse, or a concurrent request's) makes the key insert
 * come up short, which raises LL001 and undoes the statement whole; the caller
 * then falls back the same way. The keys are not looked up first: the insert's
 * own unique check does it, at no extra cost and with no plan to go stale as
 * the table grows. The org and key checks are ledgerline_refusal's, written
 * inline: as subqueries they are planned once with the statement, where a
 * function call in the WHERE cost this statement nearly half its rate. In
 * Postgres this costs a fraction of the general function.
 */
const CONSUME_RUN = `
WITH events AS (
  SELECT i, k, h, q, uid, (sum(q) OVER (ORDER BY i))::bigint AS upto
  FROM unnest($9::text[], $10::text[], $11::bigint[], $12::text[]) WITH ORDINALITY AS e(k, h, q, uid, i)
), total AS (
  SELECT sum(q)::bigint AS q, count(*) AS n FROM events
), counter AS (
  UPDATE usage_counters c SET used = c.used + total.q
  FROM total
  WHERE c.org_id = $1 AND c.user_id = '' AND c.metric = $5 AND c.period_start = $6
    AND ledgerline_fits(c.used, c.held, total.q, $7::bigint)
    AND EXISTS (SELECT 1 FROM orgs o WHERE o.id = $1 AND o.config_version = $2)
    AND ($3::text IS NULL OR EXISTS (SELECT 1 FROM api_keys k WHERE k.key_hash = $3 AND k.org_id = $1 AND k.revoked_at IS NULL))
  RETURNING c.used - total.q AS before
), decided AS (
  SELECT e.i, e.k, e.h, e.q, e.uid, counter.before + e.upto AS used FROM events e, counter
), keyed AS (
  INSERT INTO idempotency_keys (org_id, key, request_hash, status, response, created_at)
  SELECT $1, k, h, 200, jsonb_build_object('metric', $5::text, 'used', used, 'limit', $8::bigint, 'resetsAt', $13::text), $4
  FROM decided ORDER BY k
  ON CONFLICT (org_id, key) DO NOTHING
  RETURNING 1
), ledger AS (
  INSERT INTO usage_ledger (org_id, user_id, metric, period_start, quantity, idempotency_key, created_at)
  SELECT $1, uid, $5, $6, q, k, $4 FROM decided WHERE q <> 0
), daily AS (
  INSERT INTO usage_daily AS d (org_id, metric, day, quantity)
  SELECT $1, $5, ($4::timestamptz AT TIME ZONE 'UTC')::date, total.q FROM counter, total WHERE total.q <> 0
  ON CONFLICT (org_id, metric, day) DO UPDATE SET quantity = d.quantity + EXCLUDED.quantity
), alerts AS (
  INSERT INTO usage_alerts (org_id, user_id, metric, period_start, threshold, state, used, limit_value, created_at)
  SELECT $1, '', $5, $6, x.threshold, x.state, d.used, $8, $4
  FROM decided d, ledgerline_crossings(d.used - d.q, d.used, $8) x
  WHERE ledgerline_band(d.used - d.q, $8) <> ledgerline_band(d.used, $8)
)
SELECT CASE WHEN (SELECT count(*) FROM keyed) = (SELECT n FROM total) THEN used ELSE ledgerline_key_taken() END AS used
FROM decided ORDER BY i`;

export interface CounterRun {
  orgId: string;
  configVersion: number;
  apiKeyHash: string | null;
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
    const rows = await sql.query<{ used: string }>(
      CONSUME_RUN,
      [
        run.orgId, run.configVersion, run.apiKeyHash, run.now, run.metric, run.periodStart, run.ceiling, run.limit,
        run.events.map((e) => e.idempotencyKey),
        run.events.map((e) => e.hash),
        run.events.map((e) => e.quantity),
        run.events.map((e) => e.userId),
        run.resetsAt,
      ],
      { name: "ledgerline_consume_run" },
    );
    return rows.length ? rows.map((row) => Number(row.used)) : null;
  } catch (error) {
    if ((error as { code?: string }).code === "LL001") return null;
    throw error;
  }
}
