import { describe, expect, it } from "vitest";
import type { SqlExecutor } from "@/lib/db/sql-executor";
import { seededCost } from "../support/seeded-models";
import { authorizeAi, releaseAi, settleAi } from "@/lib/metering/ai-holds";
import { createOrg, ledgerMismatches, onServer, testStore } from "../support/store";

/**
 * Concurrent AI requests of one org are decided in one store call per batch
 * (lib/metering/ai-holds.ts). These prove that a batch decides each request
 * as if it had come alone, in arrival order, and that the reservations always
 * equal the holds that are still held.
 */

const NOW = new Date("2026-03-20T12:00:00Z");
const USD = 1_000_000;
// claude-opus-4-1 at $75/M output: maxOutputTokens / 1,000 * 75,000 micros.
const opus = (dollars: number) => ({ feature: "chat", model: "claude-opus-4-1", inputTokens: 0, maxOutputTokens: (dollars * 1_000_000) / 75 }) as const;

/** Counts the store calls whose SQL names `fn`. */
function counting(sql: SqlExecutor, fn: string) {
  const counter = { calls: 0, sql: { ...sql } as SqlExecutor };
  counter.sql.query = (text, params, options) => {
    if (text.includes(fn)) counter.calls++;
    return sql.query(text, params, options);
  };
  return counter;
}

/** Every reservation equals the sum of the holds still held: the pool's, the credits' and each member's. */
async function reservationMismatches(orgId: string) {
  const { sql } = await testStore();
  return sql.query(
    `WITH held AS (SELECT * FROM ai_authorizations WHERE org_id = $1 AND status = 'held'),
          expected AS (
            SELECT '' AS who, coalesce(sum(pool_hold_micros), 0) AS held FROM held
            UNION ALL SELECT 'credits', coalesce(sum(hold_micros - pool_hold_micros), 0) FROM held
            UNION ALL SELECT user_id, sum(hold_micros) FROM held GROUP BY user_id),
          actual AS (
            SELECT user_id AS who, sum(c.held) AS held FROM usage_counters c WHERE c.org_id = $1 AND c.metric = 'ai_budget' GROUP BY user_id
            UNION ALL SELECT 'credits', held_micros FROM credit_accounts WHERE org_id = $1)
     SELECT e.who, e.held::text AS expected, a.held::text AS actual
     FROM expected e LEFT JOIN actual a ON a.who = e.who
     WHERE coalesce(a.held, 0) <> e.held`,
    [orgId],
  );
}

describe("coalesced AI holds", () => {
  it("decides a batch in arrival order, each request all or nothing against what the earlier ones took", async () => {
    const { orgId, sql, members } = await createOrg({ overrides: { ai_budget: 5 * USD }, members: [{}] });
    const ask = (dollars: number) => authorizeAi(sql, { orgId, userId: members[0], ...opus(dollars) }, NOW);
    // The first runs at once; the other three arrive while it is in flight and go together.
    const results = await Promise.allSettled([ask(3), ask(3), ask(2), ask(1)]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled", "rejected"]);
    expect(await reservationMismatches(orgId)).toEqual([]);
  });

  it("takes a burst of one org in a few store calls, not one per request", async () => {
    const { orgId, sql, members } = await createOrg({ members: [{}, {}] });
    const authorize = counting(sql, "ledgerline_ai_authorize");
    const holds = await Promise.all(
      Array.from({ length: 40 }, (_, i) => authorizeAi(authorize.sql, { orgId, userId: members[i % 2], ...opus(0.03) }, NOW)),
    );
    expect(authorize.calls).toBeLessThanOrEqual(3);
    const settle = counting(sql, "ledgerline_ai_settle");
    await Promise.all(holds.map(({ authorizationId }) => settleAi(settle.sql, { orgId, authorizationId, inputTokens: 0, outputTokens: 100 })));
    expect(settle.calls).toBeLessThanOrEqual(3);
    expect(await reservationMismatches(orgId)).toEqual([]);
    expect(await ledgerMismatches(orgId)).toEqual([]);
  });

  it("settles a hold named several times in one batch once: the same settlement for each, 409 for other token counts", async () => {
    const { orgId, sql, members } = await createOrg({ members: [{}] });
    const [first, twice] = await Promise.all([0, 1].map(() => authorizeAi(sql, { orgId, userId: members[0], ...opus(0.03) }, NOW)));
    const settle = counting(sql, "ledgerline_ai_settle");
    // The first settle goes alone; the four that arrive while it is in flight go together, naming one hold.
    const [, ...again] = await Promise.allSettled([
      settleAi(settle.sql, { orgId, authorizationId: first.authorizationId, inputTokens: 0, outputTokens: 100 }),
      ...[100, 100, 200, 100].map((outputTokens) => settleAi(settle.sql, { orgId, authorizationId: twice.authorizationId, inputTokens: 0, outputTokens })),
    ]);
    expect(settle.calls).toBe(2);
    const settled = again.filter((r) => r.status === "fulfilled").map((r) => (r as PromiseFulfilledResult<unknown>).value);
    expect(settled).toHaveLength(3);
    expect(new Set(settled.map((s) => JSON.stringify(s))).size).toBe(1);
    expect(again[2]).toMatchObject({ status: "rejected", reason: { code: "idempotency_conflict" } });
    const store = await testStore();
    const [ledger] = await store.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM usage_ledger WHERE org_id = $1 AND idempotency_key = $2 AND metric = 'ai_budget'`,
      [orgId, twice.authorizationId],
    );
    expect(ledger.n).toBe(1);
    expect(await reservationMismatches(orgId)).toEqual([]);
    expect(await ledgerMismatches(orgId)).toEqual([]);
  });

  it("fails a request for an unknown model or from a non-member alone, and answers the rest of its burst", async () => {
    const { orgId, sql, members } = await createOrg({ members: [{}] });
    const good = () => authorizeAi(sql, { orgId, userId: members[0], ...opus(0.03) }, NOW);
    const results = await Promise.allSettled([
      good(),
      good(),
      authorizeAi(sql, { orgId, userId: members[0], ...opus(0.03), model: "no-such-model" }, NOW),
      authorizeAi(sql, { orgId, userId: "user_outsider", ...opus(0.03) }, NOW),
      good(),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "rejected", "rejected", "fulfilled"]);
    expect((results[3] as PromiseRejectedResult).reason).toMatchObject({ code: "forbidden" });
    expect(await reservationMismatches(orgId)).toEqual([]);
  });

  it("pauses a paused org's requests without touching another org's in the same burst", async () => {
    const paused = await createOrg({ aiPaused: true, members: [{}] });
    const open = await createOrg({ members: [{}] });
    const results = await Promise.allSettled([
      authorizeAi(open.sql, { orgId: open.orgId, userId: open.members[0], ...opus(0.03) }, NOW),
      authorizeAi(paused.sql, { orgId: paused.orgId, userId: paused.members[0], ...opus(0.03) }, NOW),
      authorizeAi(paused.sql, { orgId: paused.orgId, userId: paused.members[0], ...opus(0.03) }, NOW),
      authorizeAi(open.sql, { orgId: open.orgId, userId: open.members[0], ...opus(0.03) }, NOW),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "rejected", "fulfilled"]);
    for (const r of [results[1], results[2]]) expect((r as PromiseRejectedResult).reason).toMatchObject({ code: "ai_access_paused" });
    expect(await reservationMismatches(paused.orgId)).toEqual([]);
  });

  it("settles holds of two billing periods in one burst, each into its own period", async () => {
    const { orgId, sql, members } = await createOrg({ members: [{}] });
    const nextPeriod = new Date("2026-04-20T12:00:00Z"); // the anchor is the 15th
    const [march, april] = await Promise.all([
      authorizeAi(sql, { orgId, userId: members[0], ...opus(1) }, NOW),
      authorizeAi(sql, { orgId, userId: members[0], ...opus(1) }, nextPeriod),
    ]);
    const [a, b] = await Promise.all([
      settleAi(sql, { orgId, authorizationId: march.authorizationId, inputTokens: 0, outputTokens: 1_000 }),
      settleAi(sql, { orgId, authorizationId: april.authorizationId, inputTokens: 0, outputTokens: 2_000 }),
    ]);
    expect([a.costMicros, b.costMicros]).toEqual([seededCost("claude-opus-4-1", 0, 1_000), seededCost("claude-opus-4-1", 0, 2_000)]);
    const { sql: read } = await testStore();
    const pools = await read.query<{ period_start: Date; used: string; held: string }>(
      `SELECT period_start, used::text, held::text FROM usage_counters WHERE org_id = $1 AND user_id = '' AND metric = 'ai_budget' ORDER BY period_start`,
      [orgId],
    );
    expect(pools.map((p) => [new Date(p.period_start).toISOString(), Number(p.used), Number(p.held)])).toEqual([
      ["2026-03-15T00:00:00.000Z", a.costMicros, 0],
      ["2026-04-15T00:00:00.000Z", b.costMicros, 0],
    ]);
    expect(await ledgerMismatches(orgId)).toEqual([]);
  });
});

describe.skipIf(!onServer)("coalesced AI holds under concurrency (real Postgres)", () => {
  it("never holds more than pool + credits + allocation when a burst races at the edge, and reserves exactly what it holds", async () => {
    const { orgId, sql, members } = await createOrg({
      overrides: { ai_budget: 5 * USD },
      creditMicros: 2 * USD,
      members: [{}, { aiAllocationMicros: 3 * USD }, { aiAllocationMicros: 1 * USD }],
    });
    const results = await Promise.allSettled(
      Array.from({ length: 120 }, (_, i) => authorizeAi(sql, { orgId, userId: members[i % 3], ...opus(0.25) }, NOW)),
    );
    const admitted = results.filter((r) => r.status === "fulfilled").length;
    // $7 in all ($5 pool + $2 credits) is 28 holds of $0.25; the capped members take at most 12 and 4 of them.
    expect(admitted).toBe(28);
    const { sql: read } = await testStore();
    const perMember = await read.query<{ user_id: string; held: string }>(
      `SELECT user_id, held::text FROM usage_counters WHERE org_id = $1 AND metric = 'ai_budget' AND user_id <> ''`, [orgId]);
    const held = new Map(perMember.map((m) => [m.user_id, Number(m.held)]));
    expect(held.get(members[1])).toBeLessThanOrEqual(3 * USD);
    expect(held.get(members[2])).toBeLessThanOrEqual(1 * USD);
    expect(await reservationMismatches(orgId)).toEqual([]);
  });

  it("lets exactly one of a settle and a release racing for each hold win, and gives every reservation back", async () => {
    const { orgId, sql, members } = await createOrg({ overrides: { ai_budget: 5 * USD }, creditMicros: 1 * USD, members: [{}, {}] });
    const holds = await Promise.all(
      Array.from({ length: 24 }, (_, i) => authorizeAi(sql, { orgId, userId: members[i % 2], ...opus(0.25) }, NOW)),
    );
    const races = await Promise.all(holds.map(({ authorizationId }) => Promise.allSettled([
      settleAi(sql, { orgId, authorizationId, inputTokens: 0, outputTokens: 2_000 }),
      releaseAi(sql, orgId, authorizationId),
    ])));
    for (const [settled, released] of races) {
      expect([settled.status, released.status].filter((s) => s === "fulfilled")).toHaveLength(1);
      const loser = settled.status === "rejected" ? settled : (released as PromiseRejectedResult);
      expect(loser.reason).toMatchObject({ code: "idempotency_conflict" });
    }
    const settledCount = races.filter(([settled]) => settled.status === "fulfilled").length;
    const { sql: read } = await testStore();
    const [{ used, held }] = await read.query<{ used: string; held: string }>(
      `SELECT sum(used)::text AS used, sum(held)::text AS held FROM usage_counters WHERE org_id = $1 AND user_id = '' AND metric = 'ai_budget'`, [orgId]);
    const [{ credit_used }] = await read.query<{ credit_used: string }>(
      `SELECT coalesce(-sum(amount_micros) FILTER (WHERE kind = 'draw_down'), 0)::text AS credit_used FROM credit_ledger WHERE org_id = $1`, [orgId]);
    expect(Number(held)).toBe(0);
    expect(Number(used) + Number(credit_used)).toBe(settledCount * seededCost("claude-opus-4-1", 0, 2_000));
    expect(await reservationMismatches(orgId)).toEqual([]);
    expect(await ledgerMismatches(orgId)).toEqual([]);
  });
});
