import type { SqlExecutor } from "@/lib/db/sql-executor";
import type { CounterKey } from "./types";

export interface CounterFit {
  used: number;
  held: number;
  /** ledgerline_fits' answer: the store's own cap decision, made here without writing anything. */
  fits: boolean;
}

/**
 * The decision consume would make on the org's counter and, when `member` is
 * given, the member's, asked of the store's ledgerline_fits without locking or
 * writing anything: what check answers. A counter that does not exist yet is
 * zero.
 */
export async function readFit(
  sql: SqlExecutor,
  key: Omit<CounterKey, "userId">,
  quantity: number,
  ceiling: number | null,
  member?: { userId: string; ceiling: number | null },
): Promise<{ org: CounterFit; member: CounterFit }> {
  const [row] = await sql.query<{ org_used: string; org_held: string; org_fits: boolean; member_used: string; member_held: string; member_fits: boolean }>(
    `SELECT o.used::text AS org_used, o.held::text AS org_held, ledgerline_fits(o.used, o.held, $5::bigint, $6::bigint) AS org_fits,
            m.used::text AS member_used, m.held::text AS member_held, ledgerline_fits(m.used, m.held, $5::bigint, $7::bigint) AS member_fits
     FROM (SELECT coalesce(sum(c.used), 0)::bigint AS used, coalesce(sum(c.held), 0)::bigint AS held FROM usage_counters c
           WHERE c.org_id = $1 AND c.user_id = '' AND c.metric = $2 AND c.period_start = $3) o,
          (SELECT coalesce(sum(c.used), 0)::bigint AS used, coalesce(sum(c.held), 0)::bigint AS held FROM usage_counters c
           WHERE c.org_id = $1 AND c.user_id = $4 AND c.metric = $2 AND c.period_start = $3) m`,
    [key.orgId, key.metric, key.periodStart, member?.userId ?? null, quantity, ceiling, member?.ceiling ?? null],
    { name: "ledgerline_check", orgId: key.orgId },
  );
  return {
    org: { used: Number(row.org_used), held: Number(row.org_held), fits: row.org_fits },
    member: { used: Number(row.member_used), held: Number(row.member_held), fits: row.member_fits },
  };
}
