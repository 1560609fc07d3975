import pg from "pg";
import { describe, expect, it } from "vitest";
import { hashApiKey } from "@/lib/auth/api-keys";
import { ORG_WORKER } from "@/lib/db/citus/worker-routing";
import { keysSince } from "@/lib/metering/idempotency";
import { consumeBatch, consumeUsage } from "@/lib/metering/consume";
import { consumeRun, type CounterRun } from "@/lib/metering/consume-run";
import { createOrg, ledgerMismatches, onServer, testStore } from "../support/store";

// The one-statement path for a run of events on one counter (consumeRun), and
// consumeBatch's fallback to ledgerline_consume, called without the coalescer
// so that every call is its own statement racing the others.

const NOW = new Date("2026-03-20T12:00:00Z");
const PERIOD = new Date("2026-03-15T00:00:00Z");
let sequence = 0;
const nextKey = () => `run-${Date.now()}-${sequence++}`;

async function counterUsed(orgId: string, metric: string) {
  const [row] = await (await testStore()).sql.query<{ used: string }>(
    `SELECT used::text FROM usage_counters WHERE org_id = $1 AND user_id = '' AND metric = $2`,
    [orgId, metric],
  );
  return row ? Number(row.used) : 0;
}

async function orgVersion(orgId: string) {
  const [row] = await (await testStore()).sql.query<{ v: string }>(`SELECT config_version::text AS v FROM orgs WHERE id = $1`, [orgId]);
  return Number(row.v);
}

/** Where the org's enforcement calls run: the database itself, or on Citus the worker that holds the org. */
async function enforcementNodeUrl(orgId: string) {
  const url = new URL(process.env.DATABASE_URL!);
  if (process.env.LEDGERLINE_TEST_CITUS !== "1") return url.toString();
  const [node] = await (await testStore()).sql.query<{ nodename: string; nodeport: number }>(ORG_WORKER, [orgId]);
  url.hostname = node.nodename;
  url.port = String(node.nodeport);
  return url.toString();
}

/** A free org with 100 emails used this period, and runs of events for it. */
async function freeOrgWithUsage() {
  const org = await createOrg({ plan: "free" }); // emails_sent: 500, hard
  await consumeUsage(org.sql, { orgId: org.orgId, metric: "emails_sent", quantity: 100, idempotencyKey: nextKey() }, { now: NOW });
  const version = await orgVersion(org.orgId);
  const run = (quantities: number[], overrides: Partial<CounterRun> = {}): CounterRun => ({
    orgId: org.orgId, configVersion: version, apiKeyHash: null, touchKey: false, now: NOW, metric: "emails_sent", periodStart: PERIOD,
    ceiling: 500, limit: 500, resetsAt: new Date("2026-04-15T00:00:00.000Z"),
    events: quantities.map((quantity) => ({ idempotencyKey: nextKey(), hash: "ab".repeat(16), quantity, userId: null })),
    ...overrides,
  });
  return { ...org, run, version };
}

describe("consumeRun", () => {
  it("admits a run within its cap in one statement: each event's running total, its ledger row with its answer, and the rollup", async () => {
    const { orgId, sql, run } = await freeOrgWithUsage();
    const events = run([5, 0, 20]);
    expect(await consumeRun(sql, events)).toEqual([105, 105, 125]);
    const store = await testStore();
    const [stored] = await store.sql.query<{ quantity: string; used: string; limit: string; resets_at: Date; digest: string }>(
      `SELECT quantity::text, answer_used::text AS used, answer_limit::text AS limit, answer_resets_at AS resets_at, encode(request_digest, 'hex') AS digest
       FROM usage_ledger WHERE org_id = $1 AND idempotency_key = $2`,
      [orgId, events.events[2].idempotencyKey],
    );
    expect({ ...stored, resets_at: new Date(stored.resets_at).toISOString() })
      .toEqual({ quantity: "20", used: "125", limit: "500", resets_at: "2026-04-15T00:00:00.000Z", digest: "ab".repeat(16) });
    // A ledger row for every admitted event, the zero quantity's too: it is its key's record.
    expect(await store.sql.query(`SELECT 1 FROM usage_ledger WHERE org_id = $1`, [orgId])).toHaveLength(4);
    expect(await ledgerMismatches(orgId)).toEqual([]);
    const [daily] = await store.sql.query<{ q: string }>(`SELECT sum(quantity)::text AS q FROM usage_daily WHERE org_id = $1`, [orgId]);
    expect(Number(daily.q)).toBe(125);
  });

  it("leaves every other case to the general path and changes nothing", async () => {
    const { orgId, sql, run, version } = await freeOrgWithUsage();
    const done = run([1]);
    expect(await consumeRun(sql, done)).toEqual([101]);
    const cases: [string, CounterRun][] = [
      ["a committed key (replay or conflict)", { ...run([1]), events: done.events }],
      ["a committed key among fresh ones", { ...run([1]), events: [...run([1, 1]).events, ...done.events] }],
      ["a run over the cap as a whole", run([200, 200])],
      ["a stale org version", run([1], { configVersion: version - 1 })],
      ["a revoked or foreign API key", run([1], { apiKeyHash: "not-a-key" })],
      ["a period without a counter yet", run([1], { periodStart: new Date("2026-04-15T00:00:00Z") })],
    ];
    for (const [name, events] of cases) {
      expect(await consumeRun(sql, events), name).toBeNull();
    }
    expect(await counterUsed(orgId, "emails_sent")).toBe(101);
    expect(await ledgerMismatches(orgId)).toEqual([]);
  });

  it("records the API key's use with the run when asked, in the org's api_key_uses", async () => {
    const { orgId, sql, run } = await freeOrgWithUsage();
    const keyHash = hashApiKey(`ll_test_${orgId}`);
    await sql.query(`INSERT INTO api_keys (id, org_id, name, key_hash, prefix) VALUES ($1, $2, 'k', $3, 'll_test')`, [`key_${orgId}`, orgId, keyHash]);
    expect(await consumeRun(sql, run([1], { apiKeyHash: keyHash }))).toEqual([101]);
    expect(await sql.query(`SELECT 1 FROM api_key_uses WHERE org_id = $1`, [orgId])).toHaveLength(0);
    expect(await consumeRun(sql, run([1], { apiKeyHash: keyHash, touchKey: true }))).toEqual([102]);
    const [use] = await sql.query<{ last_used_at: Date }>(`SELECT last_used_at FROM api_key_uses WHERE org_id = $1 AND key_hash = $2`, [orgId, keyHash]);
    expect(new Date(use.last_used_at).toISOString()).toBe(NOW.toISOString());
  });

  it("records each threshold crossing once, at the event that crossed it", async () => {
    const { orgId, sql, run } = await freeOrgWithUsage();
    await consumeRun(sql, run([250, 50, 10])); // 350, 400 (80 %), 410
    await consumeRun(sql, run([40, 50])); // 450 (90 %), 500 (100 %)
    const alerts = await (await testStore()).sql.query<{ threshold: number; state: string; used: string }>(
      `SELECT threshold, state, used::text FROM usage_alerts WHERE org_id = $1 ORDER BY threshold`,
      [orgId],
    );
    expect(alerts).toEqual([
      { threshold: 80, state: "raised", used: "400" },
      { threshold: 90, state: "raised", used: "450" },
      { threshold: 100, state: "raised", used: "500" },
    ]);
  });
});

describe.skipIf(!onServer)("lone events racing (real Postgres)", () => {
  it("admits exactly the cap out of 200 lone events at the edge, each its own statement", async () => {
    const { orgId, sql } = await freeOrgWithUsage();
    await consumeUsage(sql, { orgId, metric: "emails_sent", quantity: 350, idempotencyKey: nextKey() }, { now: NOW }); // 450
    const outcomes = (
      await Promise.all(
        Array.from({ length: 200 }, () => consumeBatch(sql, orgId, [{ metric: "emails_sent", quantity: 1, idempotencyKey: nextKey() }], { now: NOW })),
      )
    ).flat();
    expect(outcomes.filter((o) => o.ok)).toHaveLength(50);
    expect(outcomes.filter((o) => !o.ok && o.error.code === "limit_exceeded")).toHaveLength(150);
    expect(await counterUsed(orgId, "emails_sent")).toBe(500);
    expect(await ledgerMismatches(orgId)).toEqual([]);
    const [hundred] = await (await testStore()).sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM usage_alerts WHERE org_id = $1 AND threshold = 100 AND state = 'raised'`,
      [orgId],
    );
    expect(hundred.n).toBe(1);
  });

  it("counts a key once when a lone event races itself", async () => {
    const { orgId, sql } = await freeOrgWithUsage();
    const idempotencyKey = nextKey();
    const outcomes = (
      await Promise.all(
        Array.from({ length: 20 }, () => consumeBatch(sql, orgId, [{ metric: "emails_sent", quantity: 7, idempotencyKey }], { now: NOW })),
      )
    ).flat();
    expect(outcomes.every((o) => o.ok && o.decision.used === 107)).toBe(true);
    expect(await counterUsed(orgId, "emails_sent")).toBe(107);
    expect(await ledgerMismatches(orgId)).toEqual([]);
  });

  it("counts every key once when runs with overlapping keys race", async () => {
    const { orgId, sql } = await freeOrgWithUsage();
    const keys = Array.from({ length: 20 }, nextKey);
    // Ten runs of five distinct keys each, drawn from twenty: most keys are in several runs at once.
    const runs = Array.from({ length: 10 }, (_, r) => Array.from({ length: 5 }, (_, e) => keys[(r * 7 + e * 3) % 20]));
    const outcomes = await Promise.all(
      runs.map((run) => consumeBatch(sql, orgId, run.map((idempotencyKey) => ({ metric: "emails_sent", quantity: 2, idempotencyKey })), { now: NOW })),
    );
    const answers = new Map<string, Set<number>>();
    runs.forEach((run, r) =>
      run.forEach((key, e) => {
        const outcome = outcomes[r][e];
        expect(outcome.ok).toBe(true);
        if (outcome.ok) answers.set(key, (answers.get(key) ?? new Set()).add(outcome.decision.used));
      }),
    );
    expect([...answers.values()].every((seen) => seen.size === 1)).toBe(true);
    expect(await counterUsed(orgId, "emails_sent")).toBe(100 + 2 * answers.size);
    expect(await ledgerMismatches(orgId)).toEqual([]);
  });

  it("decides a key's second request after its first commits, whichever counter each names: the org's key locks", async () => {
    // Different metrics lock different counters: only the key locks can keep the second request from
    // missing the first's uncommitted ledger row. The first is held open in a transaction of our own,
    // on the node that runs the org's enforcement calls (on Citus, the org's worker).
    const { orgId, sql, run } = await freeOrgWithUsage();
    await consumeUsage(sql, { orgId, metric: "enrichments", quantity: 1, idempotencyKey: nextKey() }, { now: NOW }); // its counter made
    const first = run([1]);
    const [{ idempotencyKey }] = first.events;
    const holder = new pg.Client({ connectionString: await enforcementNodeUrl(orgId) });
    await holder.connect();
    try {
      await holder.query("BEGIN");
      await holder.query(
        `SELECT ledgerline_consume_run($1, $2, NULL, false, $3, $4, 'emails_sent', $5, 500, 500, NULL, ARRAY[$6], ARRAY[$7], ARRAY[1::bigint], ARRAY[NULL::text])`,
        [orgId, first.configVersion, NOW, keysSince(NOW), PERIOD, idempotencyKey, first.events[0].hash],
      );
      const second = consumeBatch(sql, orgId, [{ metric: "enrichments", quantity: 1, idempotencyKey }], { now: NOW });
      await expect.poll(async () => (await holder.query(`SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`)).rowCount, { timeout: 10_000 }).toBeGreaterThan(0);
      await holder.query("COMMIT");
      expect(await second).toMatchObject([{ ok: false, error: { code: "idempotency_conflict" } }]);
    } finally {
      await holder.end();
    }
    const [rows] = await (await testStore()).sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM usage_ledger WHERE org_id = $1 AND idempotency_key = $2`,
      [orgId, idempotencyKey],
    );
    expect(rows.n).toBe(1);
    expect(await ledgerMismatches(orgId)).toEqual([]);
  });
});
