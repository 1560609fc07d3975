import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { applyMigrations } from "@/lib/db/migrate";
import { openStore, type OpenStore } from "@/lib/db/open";
import { authorizeAi, settleAi } from "@/lib/metering/ai-holds";
import { consumeBatch, consumeUsage } from "@/lib/metering/consume";
import { scratchDatabases } from "../support/scratch-databases";
import { onServer } from "../support/store";

/**
 * PL/pgSQL plans a statement for its first calls' values, then may keep a generic plan for the
 * rest of the connection, made from the table's size and statistics of that moment (a statement
 * on the partitioned ledger keeps being planned per call). On a table that VACUUM or ANALYZE last
 * saw empty, any plan looks as cheap as any other: a sequential scan, or a read of every row of
 * the org by any index that holds org_id. The enforcement functions must still read only the rows
 * they need once the tables have grown.
 */

const NOW = new Date("2026-03-20T12:00:00Z");
const SMALL = { feature: "agent", model: "claude-opus-4-1", inputTokens: 100, maxOutputTokens: 100 } as const;
const databases = scratchDatabases("ledgerline_plans");
const opened: OpenStore[] = [];

/**
 * A database of its own, migrated, whose tables the planner has been told are empty (but for what
 * `before` puts in them); one connection, so plans stay cached on it.
 */
async function freshDatabase(before?: string) {
  const url = await databases.create();
  const store = connect(url);
  await applyMigrations(store.sql);
  if (before) await store.sql.exec(before);
  await store.sql.exec("VACUUM ANALYZE");
  return { store, url };
}

/** One connection of its own to the database at `url`, closed after the file's tests. */
function connect(url: string) {
  const store = openStore({ kind: "server", url }, { poolSize: 1 });
  opened.push(store);
  return store;
}

afterAll(async () => {
  await Promise.all(opened.map((store) => store.close()));
  await databases.dropAll();
});

/** What this connection's backend has counted of `table` so far: sequential scans, and rows read by any scan. */
async function reads(store: OpenStore, table: string) {
  // The backend publishes its counts when it goes idle after this statement; the next one reads them.
  await store.sql.exec("SELECT pg_stat_force_next_flush()");
  const [row] = await store.sql.query<{ scans: string; rows: string }>(
    `SELECT seq_scan::text AS scans, (coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0))::text AS rows FROM pg_stat_user_tables WHERE relname = $1`,
    [table],
  );
  return { seqScans: Number(row.scans), rows: Number(row.rows) };
}

const since = (before: { seqScans: number; rows: number }, after: { seqScans: number; rows: number }) =>
  ({ seqScans: after.seqScans - before.seqScans, rows: after.rows - before.rows });

describe.runIf(onServer)("enforcement plans", () => {
  it("read a handful of rows per AI pair and per consume, however many holds and counters the org has", async () => {
    const { store } = await freshDatabase();
    const orgId = `org_plans_${randomUUID()}`;
    const userId = `${orgId}_user`;
    await store.sql.exec(`
      INSERT INTO orgs (id, name, plan, billing_anchor) VALUES ('${orgId}', 'Plans', 'pro', '2026-01-15T00:00:00Z');
      INSERT INTO users (id, email, name) VALUES ('${userId}', '${orgId}@example.test', 'Plans');
      INSERT INTO memberships (org_id, user_id, role, seat_type, enrichment_allocation) VALUES ('${orgId}', '${userId}', 'user', 'collaborator', 1000000);`);
    let n = 0;
    const pair = async () => {
      const { authorizationId } = await authorizeAi(store.sql, { orgId, userId, ...SMALL }, NOW);
      await settleAi(store.sql, { orgId, authorizationId, inputTokens: 100, outputTokens: 50 }, undefined, NOW);
    };
    // A member's allocation sends enrichments through ledgerline_consume, the general path.
    const enrich = () => consumeUsage(store.sql, { orgId, userId, metric: "enrichments", quantity: 1, idempotencyKey: `enrich-${n++}` }, { now: NOW });
    // More than five runs of each statement: PL/pgSQL has settled on the plans it keeps.
    for (let i = 0; i < 8; i++) {
      await pair();
      await enrich();
    }
    // The org's own settled holds and other members' counters, thousands of each, which a plan
    // that reads every row of the org would read.
    await store.sql.exec(`
      INSERT INTO ai_authorizations (id, org_id, user_id, feature, model, tier, period_start, hold_micros, pool_hold_micros, status, expires_at)
      SELECT 'old_' || n, '${orgId}', '${userId}', 'agent', 'claude-opus-4-1', 'advanced', '2026-03-15T00:00:00Z', 1, 1, 'settled', '2026-03-20T12:10:00Z'
      FROM generate_series(1, 5000) AS n;
      INSERT INTO usage_counters (org_id, user_id, metric, period_start, used)
      SELECT '${orgId}', 'member_' || n, 'enrichments', '2026-03-15T00:00:00Z', 1 FROM generate_series(1, 5000) AS n;`);

    const holdsBefore = await reads(store, "ai_authorizations");
    for (let i = 0; i < 3; i++) await pair();
    const holds = since(holdsBefore, await reads(store, "ai_authorizations"));
    expect(holds.seqScans).toBe(0);
    expect(holds.rows).toBeLessThan(30);

    const countersBefore = await reads(store, "usage_counters");
    for (let i = 0; i < 3; i++) await enrich();
    const counters = since(countersBefore, await reads(store, "usage_counters"));
    expect(counters.seqScans).toBe(0);
    expect(counters.rows).toBeLessThan(30);
  });

  // Analysed while the ledger's history partition held another org's rows and no keys, or while
  // this month's partition held nothing (a fresh install): for an org the statistics have not
  // seen, any index that finds its rows can look as cheap as the key index, and a btree whose
  // second column is org_id can be read whole for it.
  const analysed = {
    "history partition held another org's rows": {
      at: NOW,
      holding: `
        INSERT INTO usage_ledger (org_id, metric, period_start, quantity, idempotency_key, created_at)
        SELECT 'org_other', 'api_calls', '2026-03-15T00:00:00Z', 1, 'other-' || n, '2026-03-20T10:00:00Z' FROM generate_series(1, 20000) AS n;`,
    },
    "this month's partition held nothing (a fresh install)": { at: new Date(), holding: undefined },
  };

  it.each(Object.entries(analysed))("look for a consume's keys with one index probe each, however many keys the org recorded after its plans were made, the ledger analysed while its %s", async (_, { at, holding }) => {
    const { store: analysedStore, url } = await freshDatabase(holding);
    const orgId = `org_keys_${randomUUID()}`;
    const userId = `${orgId}_user`;
    await analysedStore.sql.exec(`
      INSERT INTO orgs (id, name, plan, billing_anchor) VALUES ('${orgId}', 'Keys', 'pro', '2026-01-15T00:00:00Z');
      INSERT INTO users (id, email, name) VALUES ('${userId}', '${orgId}@example.test', 'Keys');
      INSERT INTO memberships (org_id, user_id, role, seat_type, enrichment_allocation) VALUES ('${orgId}', '${userId}', 'user', 'collaborator', 1000000);`);

    // A new connection, whose plans are made while the org has recorded next to nothing (a
    // statement is planned from the table's size at that moment, whatever the statistics say).
    const store = connect(url);
    let n = 0;
    // The run path (one org counter, runs of 64 keys) and the general path (a member's allocation).
    const consume = () => consumeBatch(store.sql, orgId, Array.from({ length: 64 }, () => ({ metric: "api_calls" as const, quantity: 1, idempotencyKey: `call-${n++}` })), { now: at });
    const enrich = () => consumeUsage(store.sql, { orgId, userId, metric: "enrichments", quantity: 1, idempotencyKey: `enrich-${n++}` }, { now: at });
    const calls = async () => {
      for (let i = 0; i < 8; i++) {
        await consume();
        await enrich();
      }
    };
    await calls();
    // Then thousands of the org's keys within the window, which a plan that reads every row of the org would read.
    await analysedStore.sql.exec(`
      INSERT INTO usage_ledger (org_id, metric, period_start, quantity, idempotency_key, created_at, request_digest, answer_used)
      SELECT '${orgId}', 'api_calls', '2026-03-15T00:00:00Z', 0, 'recorded-' || n, '${at.toISOString()}', '\\x00', 0
      FROM generate_series(1, 5000) AS n;`);
    const [{ partition }] = await analysedStore.sql.query<{ partition: string }>(`SELECT tableoid::regclass::text AS partition FROM usage_ledger WHERE org_id = $1 LIMIT 1`, [orgId]);
    const before = await reads(store, partition);
    await calls();
    const ledger = since(before, await reads(store, partition));
    expect(ledger.seqScans).toBe(0);
    expect(ledger.rows).toBeLessThan(100);

    // And no other index of the ledger could find the org's rows in its place: only key indexes lead with org_id.
    const leading = await store.sql.query<{ name: string }>(
      `SELECT i.relname AS name FROM pg_partition_tree('usage_ledger') t JOIN pg_index x ON x.indrelid = t.relid JOIN pg_class i ON i.oid = x.indexrelid
       JOIN pg_attribute a ON a.attrelid = t.relid AND a.attnum = x.indkey[0]
       WHERE a.attname = 'org_id' ORDER BY 1`,
    );
    expect(leading.length).toBeGreaterThan(0);
    expect(leading.filter((row) => !row.name.endsWith("_key_idx"))).toEqual([]);
  });

  it("inline the small functions they call per event: the cap decision, the alert band, the pool's part and counter keys", async () => {
    // A SQL function Postgres cannot inline is parsed and planned again in every transaction that
    // calls it from PL/pgSQL: a quarter of a lone consume's time in Postgres when the band was one.
    const { store } = await freshDatabase();
    const plan = (await store.sql.query<{ "QUERY PLAN": string }>(
      `EXPLAIN (VERBOSE, COSTS OFF) SELECT ledgerline_fits(x, 0, 1, 10), ledgerline_band(x, 100), ledgerline_pool_part(x, 1, 2, 3)
       FROM generate_series(1, 2::bigint) AS x`,
    )).map((row) => row["QUERY PLAN"]).join("\n");
    expect(plan).toMatch(/Output: /);
    expect(plan).not.toMatch(/ledgerline_(fits|band|pool_part)\(/);
    const keys = (await store.sql.query<{ "QUERY PLAN": string }>(
      `EXPLAIN (VERBOSE, COSTS OFF) SELECT k.* FROM jsonb_each_text('{"api_calls|2026-03-15 00:00:00+00|": 1}') AS x, ledgerline_counter_key(x.key) AS k`,
    )).map((row) => row["QUERY PLAN"]).join("\n");
    expect(keys).toMatch(/split_part/);
    expect(keys).not.toMatch(/ledgerline_counter_key/);
  });
});
