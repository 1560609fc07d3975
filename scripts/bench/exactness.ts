import type { SqlExecutor } from "@/lib/db/sql-executor";

/**
 * After a load: every admitted 200 is one ledger row, the counters equal the
 * ledger, and no counter is over its cap. Any difference fails the run.
 */
export async function ledgerRows(sql: SqlExecutor, orgs: string[], metric: string) {
  const [row] = await sql.query<{ n: string }>(`SELECT count(*)::text AS n FROM usage_ledger WHERE org_id = ANY($1) AND metric = $2`, [orgs, metric]);
  return Number(row.n);
}

/** `admitted` counts the responses of the measured load; `rowsBefore` is the ledger before it. */
export async function checkExactness(sql: SqlExecutor, orgs: string[], metric: string, admitted: number, rowsBefore = 0) {
  const [row] = await sql.query<{ ledger_rows: string; ledger_sum: string; counter_sum: string; over_cap: string }>(
    `SELECT
       (SELECT count(*) FROM usage_ledger WHERE org_id = ANY($1) AND metric = $2)::text AS ledger_rows,
       (SELECT COALESCE(SUM(quantity - credit_micros), 0) FROM usage_ledger WHERE org_id = ANY($1) AND metric = $2)::text AS ledger_sum,
       (SELECT COALESCE(SUM(used), 0) FROM usage_counters WHERE org_id = ANY($1) AND metric = $2 AND user_id = '')::text AS counter_sum,
       (SELECT count(*) FROM usage_counters c JOIN orgs o ON o.id = c.org_id
        WHERE c.org_id = ANY($1) AND c.metric = $2 AND c.user_id = ''
          AND o.limit_overrides ? $2 AND c.used + c.held > (o.limit_overrides ->> $2)::bigint)::text AS over_cap`,
    [orgs, metric],
  );
  const figures = {
    admitted,
    ledgerRows: Number(row.ledger_rows) - rowsBefore,
    ledgerSum: Number(row.ledger_sum),
    counterSum: Number(row.counter_sum),
    overCap: Number(row.over_cap),
  };
  const exact = figures.ledgerRows === admitted && figures.counterSum === figures.ledgerSum && figures.overCap === 0;
  return { exact, ...figures };
}

/** One row of the exactness table the bench prints. */
export interface ExactnessLine {
  name: string;
  exact: boolean;
  detail: string;
}

export function exactnessLine(name: string, result: Awaited<ReturnType<typeof checkExactness>>): ExactnessLine {
  return {
    name,
    exact: result.exact,
    detail: `admitted ${result.admitted}, ledger rows ${result.ledgerRows}, counters ${result.counterSum} = ledger ${result.ledgerSum}, over cap ${result.overCap}`,
  };
}
