import type { SqlExecutor } from "@/lib/db/sql-executor";
import type { MetricId } from "@/lib/limits/metrics";
import { splitIntoDays, type ExportWindow, type PartialDay } from "./export-window";

/**
 * The rows of a usage export, read in batches: each statement reads one
 * org's rows (org_id first in every WHERE, so Citus routes it to the org's
 * worker), none spans orgs or modifies anything, and no transaction is held
 * while the rows are being sent. Unbounded groupings (days, members) are read
 * by keyset: at most `batchRows` groups per statement, the next statement
 * starting after the last group read. Metric and feature groupings have at
 * most a dozen groups each (12 metrics; 6 features by 2 metrics) and are read
 * in one statement.
 *
 * The org's own day and metric totals come from the daily rollups
 * (usage_daily), which the store keeps in the statements that write the
 * ledger; a day the window only partly covers (a billing cycle starts at the
 * anchor's time of day) is summed from the ledger between the window's
 * instants. A member's own usage and the member and feature groupings come
 * from the ledger (usage_ledger: user_id, feature), by created_at: each entry
 * counts on the UTC day it was recorded, as in the rollups.
 */

export const EXPORT_BATCH_ROWS = 1_000;

export type ExportGrouping = "day" | "metric" | "member" | "feature";

export interface ExportScope {
  orgId: string;
  window: Pick<ExportWindow, "startAt" | "endAt">;
  /** The metrics the reader may see (ai_budget, money, only for those who see dollars). */
  metrics: MetricId[];
  /** Day, metric and feature rows of this member's own usage only; null: the whole org's. */
  ownUsageOf: string | null;
  /** Member rows of this member only; null: every member's, former members and unattributed usage included. */
  memberRowsOf: string | null;
  batchRows?: number;
}

/** One exported group. `quantity` is Postgres' own decimal text of the sum: exact past 2^53. */
export interface UsageRow {
  date?: string;
  /** groupBy=member: '' for usage recorded without a member. */
  memberId?: string;
  memberEmail?: string | null;
  memberName?: string | null;
  feature?: string;
  metric: MetricId;
  quantity: string;
}

export function usageRowBatches(sql: SqlExecutor, grouping: ExportGrouping, scope: ExportScope): AsyncGenerator<UsageRow[]> {
  switch (grouping) {
    case "day":
      return scope.ownUsageOf ? memberDays(sql, scope, scope.ownUsageOf) : orgDays(sql, scope);
    case "metric":
      return metricTotals(sql, scope);
    case "member":
      return memberTotals(sql, scope);
    case "feature":
      return featureTotals(sql, scope);
  }
}

const AI_METRICS: MetricId[] = ["ai_budget", "ai_tokens"];

/** Reads pages of at most `limit` rows, each after the last row of the one before, until a short page. */
async function* keyset<R>(limit: number, page: (after: R | null) => Promise<R[]>): AsyncGenerator<R[]> {
  let after: R | null = null;
  for (;;) {
    const rows = await page(after);
    if (rows.length > 0) yield rows;
    if (rows.length < limit) return;
    after = rows[rows.length - 1];
  }
}

/** The ledger's totals per metric between two instants of one day (at most one row per metric). */
function partialDayTotals(sql: SqlExecutor, scope: ExportScope, part: PartialDay) {
  return sql.query<{ metric: MetricId; quantity: string }>(
    `SELECT metric, SUM(quantity)::text AS quantity FROM usage_ledger
     WHERE org_id = $1 AND created_at >= $2 AND created_at < $3 AND metric = ANY($4::text[]) AND quantity <> 0
     GROUP BY metric ORDER BY metric`,
    [scope.orgId, part.startAt, part.endAt, scope.metrics],
    { orgId: scope.orgId },
  );
}

async function* orgDays(sql: SqlExecutor, scope: ExportScope): AsyncGenerator<UsageRow[]> {
  const { head, wholeDays, tail } = splitIntoDays(scope.window);
  const limit = scope.batchRows ?? EXPORT_BATCH_ROWS;
  const partial = async (part: PartialDay) => (await partialDayTotals(sql, scope, part)).map((row) => ({ date: part.day, ...row }));
  if (head) {
    const rows = await partial(head);
    if (rows.length > 0) yield rows;
  }
  if (wholeDays) {
    yield* keyset<UsageRow>(limit, (after) =>
      sql.query<UsageRow>(
        `SELECT day::text AS date, metric, quantity::text AS quantity FROM usage_daily
         WHERE org_id = $1 AND day >= $2::date AND day <= $3::date AND metric = ANY($4::text[])
           AND (day, metric) > ($5::date, $6::text)
         ORDER BY day, metric LIMIT $7`,
        [scope.orgId, wholeDays.first, wholeDays.last, scope.metrics, after?.date ?? wholeDays.first, after?.metric ?? "", limit],
        { orgId: scope.orgId },
      ),
    );
  }
  if (tail) {
    const rows = await partial(tail);
    if (rows.length > 0) yield rows;
  }
}

async function* memberDays(sql: SqlExecutor, scope: ExportScope, userId: string): AsyncGenerator<UsageRow[]> {
  const limit = scope.batchRows ?? EXPORT_BATCH_ROWS;
  const { startAt, endAt } = scope.window;
  yield* keyset<UsageRow>(limit, (after) => {
    // Each page reads the ledger from its first day on, not from the window's start.
    const from = after ? new Date(Math.max(startAt.getTime(), Date.parse(`${after.date}T00:00:00Z`))) : startAt;
    return sql.query<UsageRow>(
      `SELECT (created_at AT TIME ZONE 'UTC')::date::text AS date, metric, SUM(quantity)::text AS quantity
       FROM usage_ledger
       WHERE org_id = $1 AND user_id = $2 AND created_at >= $3 AND created_at < $4 AND metric = ANY($5::text[]) AND quantity <> 0
         AND ((created_at AT TIME ZONE 'UTC')::date, metric) > ($6::date, $7::text)
       GROUP BY 1, 2 ORDER BY 1, 2 LIMIT $8`,
      [scope.orgId, userId, from, endAt, scope.metrics, after?.date ?? "1970-01-01", after?.metric ?? "", limit],
      { orgId: scope.orgId },
    );
  });
}

async function* metricTotals(sql: SqlExecutor, scope: ExportScope): AsyncGenerator<UsageRow[]> {
  const { orgId, metrics, ownUsageOf } = scope;
  const { startAt, endAt } = scope.window;
  if (ownUsageOf) {
    const rows = await sql.query<UsageRow>(
      `SELECT metric, SUM(quantity)::text AS quantity FROM usage_ledger
       WHERE org_id = $1 AND user_id = $2 AND created_at >= $3 AND created_at < $4 AND metric = ANY($5::text[]) AND quantity <> 0
       GROUP BY metric ORDER BY metric`,
      [orgId, ownUsageOf, startAt, endAt, metrics],
      { orgId },
    );
    if (rows.length > 0) yield rows;
    return;
  }
  const { head, wholeDays, tail } = splitIntoDays(scope.window);
  const totals = new Map<MetricId, bigint>();
  const add = (rows: { metric: MetricId; quantity: string }[]) => {
    for (const row of rows) totals.set(row.metric, (totals.get(row.metric) ?? 0n) + BigInt(row.quantity));
  };
  if (head) add(await partialDayTotals(sql, scope, head));
  if (wholeDays) {
    add(
      await sql.query<{ metric: MetricId; quantity: string }>(
        `SELECT metric, SUM(quantity)::text AS quantity FROM usage_daily
         WHERE org_id = $1 AND day >= $2::date AND day <= $3::date AND metric = ANY($4::text[])
         GROUP BY metric`,
        [orgId, wholeDays.first, wholeDays.last, metrics],
        { orgId },
      ),
    );
  }
  if (tail) add(await partialDayTotals(sql, scope, tail));
  const rows = [...totals].sort(([a], [b]) => (a < b ? -1 : 1)).map(([metric, total]) => ({ metric, quantity: total.toString() }));
  if (rows.length > 0) yield rows;
}

interface MemberRow {
  member_id: string;
  member_email: string | null;
  member_name: string | null;
  metric: MetricId;
  quantity: string;
}

async function* memberTotals(sql: SqlExecutor, scope: ExportScope): AsyncGenerator<UsageRow[]> {
  const limit = scope.batchRows ?? EXPORT_BATCH_ROWS;
  const pages = keyset<MemberRow>(limit, (after) =>
    // Grouped on the ledger, then named from users (a reference table on Citus): a removed member's usage still counts.
    sql.query<MemberRow>(
      `SELECT g.member_id, u.email AS member_email, u.name AS member_name, g.metric, g.quantity
       FROM (
         SELECT COALESCE(l.user_id, '') AS member_id, l.metric, SUM(l.quantity)::text AS quantity
         FROM usage_ledger l
         WHERE l.org_id = $1 AND l.created_at >= $2 AND l.created_at < $3 AND l.metric = ANY($4::text[])
           -- An event of zero quantity has a ledger row only as its idempotency key's record.
           AND l.quantity <> 0 AND ($5::text IS NULL OR l.user_id = $5)
           AND (COALESCE(l.user_id, ''), l.metric) > ($6::text, $7::text)
         GROUP BY 1, 2 ORDER BY 1, 2 LIMIT $8
       ) g
       LEFT JOIN users u ON u.id = g.member_id
       ORDER BY g.member_id, g.metric`,
      [scope.orgId, scope.window.startAt, scope.window.endAt, scope.metrics, scope.memberRowsOf, after?.member_id ?? "", after?.metric ?? "", limit],
      { orgId: scope.orgId },
    ),
  );
  for await (const rows of pages) {
    yield rows.map((row) => ({ memberId: row.member_id, memberEmail: row.member_email, memberName: row.member_name, metric: row.metric, quantity: row.quantity }));
  }
}

async function* featureTotals(sql: SqlExecutor, scope: ExportScope): AsyncGenerator<UsageRow[]> {
  const rows = await sql.query<UsageRow>(
    `SELECT feature, metric, SUM(quantity)::text AS quantity FROM usage_ledger
     WHERE org_id = $1 AND created_at >= $2 AND created_at < $3 AND metric = ANY($4::text[]) AND feature IS NOT NULL
       AND ($5::text IS NULL OR user_id = $5)
     GROUP BY feature, metric ORDER BY feature, metric`,
    [scope.orgId, scope.window.startAt, scope.window.endAt, scope.metrics.filter((m) => AI_METRICS.includes(m)), scope.ownUsageOf],
    { orgId: scope.orgId },
  );
  if (rows.length > 0) yield rows;
}
