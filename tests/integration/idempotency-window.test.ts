import { describe, expect, it } from "vitest";
import { consumeUsage } from "@/lib/metering/consume";
import { requestHash } from "@/lib/metering/idempotency";
import { idempotencyWindowMs, purgeExpiredKeys } from "@/lib/metering/idempotency-purge";
import { createOrg, ledgerMismatches, onServer, testStore } from "../support/store";

const HOUR = 3_600_000;
const OLD = new Date("2026-03-01T10:00:00Z");
const RECENT = new Date(OLD.getTime() + 25 * HOUR);

async function keyRows(orgId: string) {
  const { sql } = await testStore();
  return (await sql.query<{ key: string }>(`SELECT key FROM idempotency_keys WHERE org_id = $1 ORDER BY key`, [orgId])).map((r) => r.key);
}

async function ledgerRowsOf(orgId: string, key: string) {
  const { sql } = await testStore();
  const [row] = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM usage_ledger WHERE org_id = $1 AND idempotency_key = $2`, [orgId, key]);
  return row.n;
}

describe("the idempotency window", () => {
  it("is 24 hours unless configured, and never shorter", () => {
    expect(idempotencyWindowMs({})).toBe(24 * HOUR);
    expect(idempotencyWindowMs({ IDEMPOTENCY_WINDOW_HOURS: "72" })).toBe(72 * HOUR);
    expect(() => idempotencyWindowMs({ IDEMPOTENCY_WINDOW_HOURS: "1" })).toThrow();
  });

  it("purges keys older than the window in batches, org by org, and keeps the rest; a retry after the purge is a new request", async () => {
    const orgs = await Promise.all([createOrg(), createOrg(), createOrg()]);
    for (const { orgId, sql } of orgs) {
      for (const key of ["a", "b", "c"]) await consumeUsage(sql, { orgId, metric: "api_calls", quantity: 1, idempotencyKey: key }, { now: OLD });
      await consumeUsage(sql, { orgId, metric: "api_calls", quantity: 1, idempotencyKey: "recent" }, { now: RECENT });
    }
    const { sql } = await testStore();
    // Batches of 2 over 9 old keys: several statements, nothing newer touched.
    const purged = await purgeExpiredKeys(sql, { olderThan: new Date(RECENT.getTime() - 24 * HOUR), batchSize: 2 });
    expect(purged).toBeGreaterThanOrEqual(9); // other tests' keys of that day may go too
    for (const { orgId } of orgs) expect(await keyRows(orgId)).toEqual(["recent"]);

    const [{ orgId, sql: orgSql }] = orgs;
    const replay = await consumeUsage(orgSql, { orgId, metric: "api_calls", quantity: 1, idempotencyKey: "recent" }, { now: RECENT });
    expect(replay.used).toBe(4);
    expect(await ledgerRowsOf(orgId, "recent")).toBe(1);
    const fresh = await consumeUsage(orgSql, { orgId, metric: "api_calls", quantity: 1, idempotencyKey: "a" }, { now: RECENT });
    expect(fresh.used).toBe(5);
    expect(await ledgerRowsOf(orgId, "a")).toBe(2);
    expect(await ledgerMismatches(orgId)).toEqual([]);
  });
});

describe("keys written before the compact record (migration 20261205010000_compact_idempotency_keys)", () => {
  it("replays a key stored with its hash as hex and its answer as JSON, and refuses its reuse for another request", async () => {
    const { orgId, sql } = await createOrg();
    const { sql: admin } = await testStore();
    const first = { metric: "api_calls", used: 41, limit: 1_000, resetsAt: "2026-03-15T00:00:00.000Z" };
    await admin.query(
      `INSERT INTO idempotency_keys (org_id, key, request_hash, status, response, created_at) VALUES ($1, 'legacy', $2, 200, $3, $4)`,
      [orgId, requestHash("consume", { orgId, metric: "api_calls", quantity: 1 }), first, RECENT],
    );
    const replay = await consumeUsage(sql, { orgId, metric: "api_calls", quantity: 1, idempotencyKey: "legacy" }, { now: RECENT });
    expect(replay).toMatchObject({ allowed: true, metric: "api_calls", used: 41, limit: 1_000, remaining: 959, resetsAt: first.resetsAt });
    await expect(consumeUsage(sql, { orgId, metric: "api_calls", quantity: 2, idempotencyKey: "legacy" }, { now: RECENT }))
      .rejects.toMatchObject({ code: "idempotency_conflict" });
    expect(await ledgerRowsOf(orgId, "legacy")).toBe(0);
  });

  it("stores a new key as the hash's bytes and the answer's figures, and replays the same answer from them", async () => {
    const { orgId, sql } = await createOrg();
    const first = await consumeUsage(sql, { orgId, metric: "api_calls", quantity: 3, idempotencyKey: "compact" }, { now: RECENT });
    const { sql: admin } = await testStore();
    const [row] = await admin.query<{ digest: string; request_hash: string | null; response: unknown; used: string }>(
      `SELECT encode(request_digest, 'hex') AS digest, request_hash, response, used::text FROM idempotency_keys WHERE org_id = $1 AND key = 'compact'`,
      [orgId],
    );
    expect(row).toEqual({ digest: requestHash("consume", { orgId, metric: "api_calls", quantity: 3 }), request_hash: null, response: null, used: String(first.used) });
    expect(await consumeUsage(sql, { orgId, metric: "api_calls", quantity: 3, idempotencyKey: "compact" }, { now: RECENT })).toEqual(first);
    expect(await ledgerRowsOf(orgId, "compact")).toBe(1);
  });
});

describe("the purge keeping up with a load spread over many orgs", () => {
  it("removes every expired key of every org in one pass, one statement per org however many keys it has", async () => {
    // 40 orgs with 25 expired keys each, interleaved in time as a spread load writes them: the oldest
    // keys of any batch belong to every org at once.
    const orgs = await Promise.all(Array.from({ length: 40 }, () => createOrg()));
    const ids = orgs.map((o) => o.orgId);
    const { sql } = await testStore();
    await sql.query(
      `INSERT INTO idempotency_keys (org_id, key, request_hash, status, response, created_at)
       SELECT o.id, 'spread-' || n, 'h', 200, '{}', $2::timestamptz + ((n * 40 + o.i) * interval '1 millisecond')
       FROM unnest($1::text[]) WITH ORDINALITY AS o(id, i), generate_series(1, 25) AS n`,
      [ids, OLD],
    );
    const deletes: string[] = [];
    const watched = { ...sql, query: ((text, params, options) => {
      if (text.includes("ledgerline_purge_keys") && ids.includes(String(params?.[0]))) deletes.push(String(params?.[0]));
      return sql.query(text, params, options);
    }) as typeof sql.query };
    await purgeExpiredKeys(watched, { olderThan: new Date(OLD.getTime() + HOUR), batchSize: 40 });
    const [left] = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM idempotency_keys WHERE org_id = ANY($1::text[])`, [ids]);
    expect(left.n).toBe(0);
    expect(deletes.length).toBe(ids.length);
  });
});

describe.skipIf(!onServer)("the purge racing retries at the window's edge (real Postgres)", () => {
  it("answers each retry as a replay or as a new request, never both, and keeps counters equal to the ledger", async () => {
    const { orgId, sql } = await createOrg();
    const keys = Array.from({ length: 60 }, (_, i) => `edge-${i}`);
    const firsts = await Promise.all(keys.map((key) => consumeUsage(sql, { orgId, metric: "api_calls", quantity: 1, idempotencyKey: key }, { now: OLD })));
    const cutoff = new Date(OLD.getTime() + 1);
    const { sql: purger } = await testStore();
    const [retries, purged] = await Promise.all([
      Promise.all(keys.map((key) => consumeUsage(sql, { orgId, metric: "api_calls", quantity: 1, idempotencyKey: key }, { now: RECENT }))),
      purgeExpiredKeys(purger, { olderThan: cutoff, batchSize: 5 }),
    ]);
    expect(purged).toBeGreaterThan(0);
    let fresh = 0;
    for (const [i, key] of keys.entries()) {
      const rows = await ledgerRowsOf(orgId, key);
      if (rows === 1) expect(retries[i]).toEqual(firsts[i]); // replayed before its key went
      else {
        expect(rows).toBe(2); // counted again, as a new request after the window
        fresh++;
      }
    }
    const { sql: read } = await testStore();
    const [counter] = await read.query<{ used: string }>(
      `SELECT used::text FROM usage_counters WHERE org_id = $1 AND user_id = '' AND metric = 'api_calls'`, [orgId]);
    expect(Number(counter.used)).toBe(keys.length + fresh);
    expect(await ledgerMismatches(orgId)).toEqual([]);
  });
});
