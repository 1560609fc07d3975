import { hashApiKey } from "@/lib/auth/api-keys";
import type { SqlExecutor } from "@/lib/db/sql-executor";

/**
 * The bench's own orgs. Every org has an API key `ll_bench_<org id>` and one
 * member `<org id>_user`. Caps are high enough not to bind during throughput
 * runs, except for the edge org, whose cap every run must hit exactly.
 */

export const ANCHOR = new Date("2026-01-01T00:00:00Z");
export const HUGE_CAP = 1_000_000_000_000;
export const EDGE_CAP = 20_000;

export const benchKey = (orgId: string) => `ll_bench_${orgId}`;
export const benchUser = (orgId: string) => `${orgId}_user`;
export const spreadOrg = (i: number) => `bench_spread_${String(i).padStart(4, "0")}`;

async function createOrgs(sql: SqlExecutor, ids: string[], overrides: Record<string, number | null>) {
  const params = [ids, ANCHOR.toISOString(), JSON.stringify(overrides)];
  await sql.query(
    `INSERT INTO orgs (id, name, plan, billing_anchor, limit_overrides)
     SELECT id, id, 'ultra', $2, $3::jsonb FROM unnest($1::text[]) AS id`,
    params,
  );
  await sql.query(`INSERT INTO users (id, email, name) SELECT id || '_user', id || '@bench.test', id FROM unnest($1::text[]) AS id`, [ids]);
  await sql.query(
    `INSERT INTO memberships (org_id, user_id, role, seat_type) SELECT id, id || '_user', 'admin', 'power' FROM unnest($1::text[]) AS id`,
    [ids],
  );
  await sql.query(
    `INSERT INTO api_keys (id, org_id, name, key_hash, prefix)
     SELECT 'key_' || id, id, 'bench', h, 'll_bench' FROM unnest($1::text[], $2::text[]) AS x(id, h)`,
    [ids, ids.map((id) => hashApiKey(benchKey(id)))],
  );
}

export async function seedBenchOrgs(sql: SqlExecutor, spread: number) {
  const big = { api_calls: HUGE_CAP, emails_sent: HUGE_CAP, ai_budget: HUGE_CAP };
  await createOrgs(sql, ["bench_hot", "bench_hot_b", "bench_two_instances", "bench_batch", "bench_ai_hot", "bench_empty", "bench_big"], big);
  await createOrgs(sql, Array.from({ length: spread }, (_, i) => spreadOrg(i)), big);
  await createOrgs(sql, ["bench_edge"], { api_calls: EDGE_CAP });
}

/** The member of bench_big who signs in as a plain user. */
export const BIG_ORG_USER = "bench_big_member_00000";

/**
 * 10,000 more members for bench_big, 1,000 of them with AI and enrichment
 * allocations and this cycle's counters against them; the first is a plain user.
 */
export async function seedBigMembership(sql: SqlExecutor, members: number, allocated: number, now: Date) {
  const ids = Array.from({ length: members }, (_, i) => `bench_big_member_${String(i).padStart(5, "0")}`);
  await sql.query(`INSERT INTO users (id, email, name) SELECT id, id || '@bench.test', 'Member ' || id FROM unnest($1::text[]) AS id`, [ids]);
  await sql.query(
    `INSERT INTO memberships (org_id, user_id, role, seat_type, ai_allocation_micros, enrichment_allocation)
     SELECT 'bench_big', id, 'user', 'collaborator',
            CASE WHEN n <= $2 THEN 20000000 END, CASE WHEN n <= $2 THEN 500 END
     FROM unnest($1::text[]) WITH ORDINALITY AS m(id, n)`,
    [ids, allocated],
  );
  await sql.query(
    `INSERT INTO usage_counters (org_id, user_id, metric, period_start, used)
     SELECT 'bench_big', id, metric, date_trunc('month', $2::timestamptz AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', 1000 + n
     FROM unnest($1::text[]) WITH ORDINALITY AS m(id, n), (VALUES ('ai_budget'), ('enrichments')) AS x(metric)`,
    [ids.slice(0, allocated), now.toISOString()],
  );
}

/**
 * One million ledger rows over 13 months for bench_big, with the counters,
 * daily rollups and AI spend derived from them as the store keeps them. The
 * bench anchor is the 1st at 00:00 UTC, so its periods are calendar months.
 */
export async function seedBigHistory(sql: SqlExecutor, rows: number, now: Date) {
  const start = new Date(now.getTime() - 395 * 86_400_000);
  const metrics = ["api_calls", "emails_sent", "enrichments", "workflow_executions", "contacts", "storage_bytes", "ai_budget", "ai_tokens"];
  await sql.query(
    `INSERT INTO usage_ledger (org_id, user_id, metric, period_start, quantity, feature, tier, idempotency_key, created_at)
     SELECT 'bench_big', 'bench_big_user', m,
            CASE WHEN m IN ('contacts', 'storage_bytes') THEN '1970-01-01'::timestamptz
                 ELSE date_trunc('month', at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' END,
            CASE m WHEN 'ai_budget' THEN 1200 WHEN 'storage_bytes' THEN 4096 ELSE 1 END,
            CASE WHEN m IN ('ai_budget', 'ai_tokens') THEN (ARRAY['email','chips','summary','agent','coaching','chat'])[1 + n % 6] END,
            CASE WHEN m IN ('ai_budget', 'ai_tokens') THEN (ARRAY['standard','light','fast','advanced_reasoning'])[1 + n % 4] END,
            'big-' || n, at
     FROM (
       SELECT n, ($2::text[])[1 + n % 8] AS m,
              $3::timestamptz + (n::float8 / $1) * ($4::timestamptz - $3::timestamptz) AS at
       FROM generate_series(0, $1 - 1) AS n
     ) s`,
    [rows, metrics, start.toISOString(), now.toISOString()],
  );
}

export async function deriveBigRollups(sql: SqlExecutor) {
  await sql.exec(`
    INSERT INTO usage_counters (org_id, user_id, metric, period_start, used)
    SELECT org_id, '', metric, period_start, SUM(quantity - credit_micros) FROM usage_ledger WHERE org_id = 'bench_big'
    GROUP BY org_id, metric, period_start
    ON CONFLICT (org_id, user_id, metric, period_start) DO UPDATE SET used = EXCLUDED.used;
    INSERT INTO usage_counters (org_id, user_id, metric, period_start, used)
    SELECT org_id, user_id, metric, period_start, SUM(quantity) FROM usage_ledger
    WHERE org_id = 'bench_big' AND metric IN ('ai_budget', 'enrichments') GROUP BY org_id, user_id, metric, period_start;
    INSERT INTO usage_daily (org_id, metric, day, quantity)
    SELECT org_id, metric, (created_at AT TIME ZONE 'UTC')::date, SUM(quantity) FROM usage_ledger WHERE org_id = 'bench_big'
    GROUP BY org_id, metric, (created_at AT TIME ZONE 'UTC')::date;
    INSERT INTO ai_spend (org_id, period_start, feature, tier, spent_micros)
    SELECT org_id, period_start, feature, tier, SUM(quantity) FROM usage_ledger WHERE org_id = 'bench_big' AND metric = 'ai_budget'
    GROUP BY org_id, period_start, feature, tier;
    ANALYZE;`);
}
