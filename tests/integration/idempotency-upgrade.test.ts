import { cp, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { applyMigrations, MIGRATIONS_DIR } from "@/lib/db/migrate";
import { openStore } from "@/lib/db/open";
import { consumeUsage } from "@/lib/metering/consume";
import { requestHash } from "@/lib/metering/idempotency";

/**
 * Migration 20261208000000_ledger_keeps_the_keys moves every key of idempotency_keys onto its
 * event's ledger row. A database with keys of both records it knew (the compact one and the JSON
 * one before it) is upgraded, and a retry of each is answered as it was the first time.
 */

const UPGRADE = "20261208000000_ledger_keeps_the_keys";
const NOW = new Date("2026-03-20T12:00:00Z");
const PERIOD = new Date("2026-03-15T00:00:00Z");

/** A folder with the project's migrations up to, not including, `name`. */
async function migrationsBefore(name: string) {
  const dir = await mkdtemp(path.join(tmpdir(), "migrations-before-"));
  for (const entry of await readdir(MIGRATIONS_DIR, { withFileTypes: true })) {
    if (entry.isDirectory() && entry.name < name) await cp(path.join(MIGRATIONS_DIR, entry.name), path.join(dir, entry.name), { recursive: true });
  }
  return dir;
}

describe("keys recorded before the ledger kept them", () => {
  it("are carried onto their ledger rows: each retry within the window replays its first answer, another body is 409", async () => {
    const store = openStore({ kind: "embedded", dataDir: "memory://" });
    const before = await migrationsBefore(UPGRADE);
    try {
      await applyMigrations(store.sql, before);
      const orgId = "org_upgrade";
      const body = (quantity: number) => requestHash("consume", { orgId, metric: "api_calls", quantity });
      await store.sql.query(`INSERT INTO orgs (id, name, plan, billing_anchor) VALUES ($1, 'Upgrade', 'pro', '2026-01-15T00:00:00Z')`, [orgId]);
      await store.sql.query(
        `INSERT INTO usage_counters (org_id, user_id, metric, period_start, used) VALUES ($1, '', 'api_calls', $2, 5)`,
        [orgId, PERIOD],
      );
      // Two admitted events as the app wrote them then: a ledger row and a key row each, the first
      // key in the compact record (a 32-byte digest and the answer's figures), the second in JSON.
      await store.sql.query(
        `INSERT INTO usage_ledger (org_id, metric, period_start, quantity, idempotency_key, created_at)
         VALUES ($1, 'api_calls', $2, 2, 'compact', $3), ($1, 'api_calls', $2, 3, 'legacy', $3)`,
        [orgId, PERIOD, NOW],
      );
      await store.sql.query(
        `INSERT INTO idempotency_keys (org_id, key, request_digest, status, used, limit_value, resets_at, created_at)
         VALUES ($1, 'compact', decode($2, 'hex'), 200, 2, 100000, '2026-04-15T00:00:00.000Z', $3)`,
        [orgId, body(2) + "0".repeat(32), NOW],
      );
      await store.sql.query(
        `INSERT INTO idempotency_keys (org_id, key, request_hash, status, response, created_at) VALUES ($1, 'legacy', $2, 200, $3, $4)`,
        [orgId, body(3) + "0".repeat(32), { metric: "api_calls", used: 5, limit: 100_000, resetsAt: "2026-04-15T00:00:00.000Z" }, NOW],
      );

      expect(await applyMigrations(store.sql)).toContain(UPGRADE);
      expect(await store.sql.query(`SELECT 1 FROM pg_tables WHERE tablename = 'idempotency_keys'`)).toHaveLength(0);
      const retry = (key: string, quantity: number) =>
        consumeUsage(store.sql, { orgId, metric: "api_calls", quantity, idempotencyKey: key }, { now: new Date(NOW.getTime() + 3_600_000) });
      expect(await retry("compact", 2)).toMatchObject({ allowed: true, used: 2, limit: 100_000, resetsAt: "2026-04-15T00:00:00.000Z" });
      expect(await retry("legacy", 3)).toMatchObject({ allowed: true, used: 5, limit: 100_000, resetsAt: "2026-04-15T00:00:00.000Z" });
      await expect(retry("compact", 4)).rejects.toMatchObject({ code: "idempotency_conflict" });
      const [counter] = await store.sql.query<{ used: string }>(`SELECT used::text FROM usage_counters WHERE org_id = $1`, [orgId]);
      expect(counter.used).toBe("5");
    } finally {
      await store.close();
      await rm(before, { recursive: true, force: true });
    }
  });
});
