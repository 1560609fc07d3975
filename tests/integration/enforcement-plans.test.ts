import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { applyMigrations } from "@/lib/db/migrate";
import { openStore, type OpenStore } from "@/lib/db/open";
import { authorizeAi, settleAi } from "@/lib/metering/ai-holds";
import { onServer } from "../support/store";

/**
 * PL/pgSQL keeps a generic plan of each statement per connection, made from the statistics of
 * that moment. On a table that VACUUM or ANALYZE last saw empty, every plan is a sequential scan;
 * the enforcement functions must still find their rows by index once the table has grown.
 */

const NOW = new Date("2026-03-20T12:00:00Z");
const SMALL = { feature: "agent", model: "claude-opus-4-1", inputTokens: 100, maxOutputTokens: 100 } as const;
let database: { store: OpenStore; drop: () => Promise<void> } | undefined;

/** A database of its own, migrated, whose tables the planner has been told are empty; one connection, so plans stay cached on it. */
async function freshDatabase() {
  const server = new URL(process.env.DATABASE_URL!);
  const name = `ledgerline_plans_${randomUUID().replaceAll("-", "").slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: server.toString() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  const store = openStore({ kind: "server", url: url.toString() }, { poolSize: 1 });
  await applyMigrations(store.sql);
  await store.sql.exec("VACUUM ANALYZE");
  database = {
    store,
    async drop() {
      await store.close();
      const cleanup = new pg.Client({ connectionString: server.toString() });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
  return store;
}

afterAll(async () => database?.drop());

/** Sequential scans of ai_authorizations so far, as this connection's backend has counted them. */
async function seqScans(store: OpenStore) {
  // The backend publishes its counts when it goes idle after this statement; the next one reads them.
  await store.sql.exec("SELECT pg_stat_force_next_flush()");
  const [row] = await store.sql.query<{ n: string }>(`SELECT seq_scan::text AS n FROM pg_stat_user_tables WHERE relname = 'ai_authorizations'`);
  return Number(row.n);
}

describe.runIf(onServer)("enforcement plans", () => {
  it("find a hold by its index after the holds table, once analysed empty, has grown", async () => {
    const store = await freshDatabase();
    const orgId = `org_plans_${randomUUID()}`;
    await store.sql.exec(`
      INSERT INTO orgs (id, name, plan, billing_anchor) VALUES ('${orgId}', 'Plans', 'pro', '2026-01-15T00:00:00Z'), ('org_other', 'Other', 'pro', '2026-01-15T00:00:00Z');
      INSERT INTO users (id, email, name) VALUES ('${orgId}_user', '${orgId}@example.test', 'Plans');
      INSERT INTO memberships (org_id, user_id, role, seat_type) VALUES ('${orgId}', '${orgId}_user', 'user', 'collaborator');`);
    const pair = async () => {
      const { authorizationId } = await authorizeAi(store.sql, { orgId, userId: `${orgId}_user`, ...SMALL }, NOW);
      await settleAi(store.sql, { orgId, authorizationId, inputTokens: 100, outputTokens: 50 }, undefined, NOW);
    };
    // More than five runs of each statement: PL/pgSQL has settled on its generic plans.
    for (let i = 0; i < 8; i++) await pair();
    // Another org's holds, many pages of them, which a sequential scan would read.
    await store.sql.exec(`
      INSERT INTO ai_authorizations (id, org_id, user_id, feature, model, tier, period_start, hold_micros, pool_hold_micros, status, expires_at)
      SELECT 'other_' || n, 'org_other', 'someone', 'agent', 'claude-opus-4-1', 'advanced', '2026-03-15T00:00:00Z', 1, 1, 'settled', '2026-03-20T12:10:00Z'
      FROM generate_series(1, 5000) AS n`);

    const before = await seqScans(store);
    for (let i = 0; i < 3; i++) await pair();
    expect(await seqScans(store)).toBe(before);
  });
});
