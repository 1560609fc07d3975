import { describe, expect, it } from "vitest";
import { seededCost } from "../support/seeded-models";
import { METRICS } from "@/lib/limits/metrics";
import { authorizeAi, HOLD_TTL_MS, releaseAi, settleAi } from "@/lib/metering/ai-holds";
import { consumeUsage } from "@/lib/metering/consume";
import { getUsageSnapshot } from "@/lib/metering/snapshot";
import { rejection } from "../support/rejection";
import { createOrg, ledgerMismatches, onServer, testStore } from "../support/store";
import type { SqlExecutor } from "@/lib/db/sql-executor";

const NOW = new Date("2026-03-20T12:00:00Z");
const USD = 1_000_000;
// claude-opus-4-1: $15/M input, $75/M output. 10k in + 100k out = $0.15 + $7.50.
const BIG = { feature: "agent", model: "claude-opus-4-1", inputTokens: 10_000, maxOutputTokens: 100_000 } as const;
const BIG_HOLD = 7_650_000;

async function pool(orgId: string) {
  const store = await testStore();
  const [row] = await store.sql.query<{ used: string; held: string }>(
    `SELECT used::text, held::text FROM usage_counters WHERE org_id = $1 AND user_id = '' AND metric = 'ai_budget'`, [orgId]);
  const [credits] = await store.sql.query<{ balance: string; held: string; ledger: string }>(
    `SELECT a.balance_micros::text AS balance, a.held_micros::text AS held,
            (SELECT COALESCE(SUM(amount_micros), 0) FROM credit_ledger WHERE org_id = $1)::text AS ledger
     FROM credit_accounts a WHERE a.org_id = $1`, [orgId]);
  return { used: Number(row?.used ?? 0), held: Number(row?.held ?? 0), credits: credits && { balance: Number(credits.balance), held: Number(credits.held), ledger: Number(credits.ledger) } };
}

describe("AI authorize / settle / release", () => {
  it("prices the worst case and holds it", async () => {
    expect(seededCost("claude-opus-4-1", 10_000, 100_000)).toBe(BIG_HOLD);
    const { orgId, db, sql, members } = await createOrg({ members: [{}] });
    const auth = await authorizeAi(sql, { orgId, userId: members[0], ...BIG }, NOW);
    expect(auth).toMatchObject({ holdMicros: BIG_HOLD, expiresAt: new Date(NOW.getTime() + HOLD_TTL_MS).toISOString() });
    expect(auth.authorizationId).toMatch(/^auth_[0-9a-f]{32}$/);
    expect(await pool(orgId)).toMatchObject({ used: 0, held: BIG_HOLD });
  });

  it("settles the actual cost by feature and tier, adds tokens, releases the hold; settling twice is a no-op", async () => {
    const { orgId, db, sql, members } = await createOrg({ members: [{}] });
    const { authorizationId } = await authorizeAi(sql, { orgId, userId: members[0], ...BIG }, NOW);
    const settled = await settleAi(sql, { orgId, authorizationId, inputTokens: 10_000, outputTokens: 2_000 });
    expect(settled).toMatchObject({ status: "settled", costMicros: 300_000, creditMicros: 0, feature: "agent", tier: "advanced_reasoning" });
    expect(await settleAi(sql, { orgId, authorizationId, inputTokens: 10_000, outputTokens: 2_000 })).toEqual(settled);
    expect((await rejection(settleAi(sql, { orgId, authorizationId, inputTokens: 1, outputTokens: 1 }))).code).toBe("idempotency_conflict");
    expect(await pool(orgId)).toMatchObject({ used: 300_000, held: 0 });
    const snapshot = await getUsageSnapshot(db, orgId, NOW);
    expect(snapshot.ai.byFeature.find((f) => f.feature === "agent")).toMatchObject({ spentMicros: 300_000, tier: "Advanced Reasoning" });
    expect(snapshot.meters.find((m) => m.metric === "ai_tokens")?.used).toBe(12_000);
    expect(JSON.stringify(snapshot)).not.toMatch(/claude|gpt|o3-pro/);
    expect(await ledgerMismatches(orgId)).toEqual([]);
  });

  it("settles a hold this process took without reading it back, and one it did not by reading it", async () => {
    const { orgId, sql, members } = await createOrg({ members: [{}] });
    const statements: string[] = [];
    const counted: SqlExecutor = { exec: (text) => sql.exec(text), query: (text, params, options) => (statements.push(text), sql.query(text, params, options)) };
    const { authorizationId } = await authorizeAi(counted, { orgId, userId: members[0], ...BIG }, NOW);
    statements.length = 0;
    expect(await settleAi(counted, { orgId, authorizationId, inputTokens: 10_000, outputTokens: 2_000 }, undefined, NOW)).toMatchObject({ costMicros: 300_000 });
    expect(statements.filter((text) => text.includes("FROM ai_authorizations"))).toEqual([]);

    // Taken elsewhere (here: written as another instance would), the hold's model and time come from the store.
    const other = "auth_taken_by_another_instance";
    await sql.query(
      `INSERT INTO ai_authorizations (id, org_id, user_id, feature, model, tier, period_start, hold_micros, pool_hold_micros, expires_at, created_at)
       SELECT $1, org_id, $2, 'agent', 'claude-opus-4-1', 'advanced_reasoning', period_start, 0, 0, $3, $4 FROM usage_counters
       WHERE org_id = $5 AND user_id = '' AND metric = 'ai_budget'`,
      [other, members[0], new Date(NOW.getTime() + HOLD_TTL_MS), NOW, orgId],
    );
    statements.length = 0;
    expect(await settleAi(counted, { orgId, authorizationId: other, inputTokens: 10_000, outputTokens: 0 }, undefined, NOW)).toMatchObject({ costMicros: 150_000 });
    expect(statements.filter((text) => text.includes("FROM ai_authorizations"))).toHaveLength(1);
    // A hold remembered for one org is not found under another's.
    const stranger = await createOrg({ members: [{}] });
    const theirs = await authorizeAi(stranger.sql, { orgId: stranger.orgId, userId: stranger.members[0], ...BIG }, NOW);
    expect((await rejection(settleAi(sql, { orgId, authorizationId: theirs.authorizationId, inputTokens: 1, outputTokens: 1 }, undefined, NOW))).code).toBe("not_found");
  });

  it("release frees the hold; releasing again answers the same", async () => {
    const { orgId, db, sql, members } = await createOrg({ members: [{}] });
    const { authorizationId } = await authorizeAi(sql, { orgId, userId: members[0], ...BIG }, NOW);
    expect(await releaseAi(sql, orgId, authorizationId)).toEqual({ authorizationId, status: "released" });
    expect(await releaseAi(sql, orgId, authorizationId)).toEqual({ authorizationId, status: "released" });
    expect(await pool(orgId)).toMatchObject({ held: 0, used: 0 });
    expect((await rejection(settleAi(sql, { orgId, authorizationId, inputTokens: 1, outputTokens: 1 }))).status).toBe(409);
  });

  it("expired holds free themselves on the org's next AI call", async () => {
    const { orgId, db, sql, members } = await createOrg({ plan: "free", members: [{}] }); // $5 pool
    await authorizeAi(sql, { orgId, userId: members[0], feature: "chat", model: "claude-opus-4-1", inputTokens: 0, maxOutputTokens: 60_000 }, NOW); // $4.50
    const later = new Date(NOW.getTime() + HOLD_TTL_MS + 1);
    await authorizeAi(sql, { orgId, userId: members[0], feature: "chat", model: "claude-opus-4-1", inputTokens: 0, maxOutputTokens: 60_000 }, later);
    expect(await pool(orgId)).toMatchObject({ held: 4_500_000 });
  });

  it("draws on prepaid credits when the pool is spent, then denies with ai_budget_exhausted", async () => {
    const { orgId, db, sql, members } = await createOrg({ plan: "free", creditMicros: 3 * USD, members: [{}] }); // $5 pool + $3 credits
    const call = { orgId, userId: members[0], feature: "email", model: "claude-opus-4-1", inputTokens: 0, maxOutputTokens: 80_000 } as const; // $6
    const { authorizationId } = await authorizeAi(sql, call, NOW);
    expect(await pool(orgId)).toMatchObject({ held: 5 * USD, credits: { held: 1 * USD } });
    const settled = await settleAi(sql, { orgId, authorizationId, inputTokens: 0, outputTokens: 80_000 });
    expect(settled.creditMicros).toBe(1 * USD);
    expect(await pool(orgId)).toMatchObject({ used: 5 * USD, held: 0, credits: { balance: 2 * USD, held: 0, ledger: 2 * USD } });
    const error = await rejection(authorizeAi(sql, { ...call, maxOutputTokens: 40_000 }, NOW)); // $3 > $2 left
    expect(error.status).toBe(429);
    expect(error.code).toBe("ai_budget_exhausted");
    expect(error.retryAfter).toBeGreaterThan(0);
    expect(await ledgerMismatches(orgId)).toEqual([]);
  });

  it("enforces a member's allocation with 429 user_allocation_exceeded and records nothing", async () => {
    const { orgId, db, sql, members } = await createOrg({ members: [{ aiAllocationMicros: 5 * USD }, {}] });
    const call = { feature: "summary", model: "claude-opus-4-1", inputTokens: 0, maxOutputTokens: 60_000 } as const; // $4.50
    await authorizeAi(sql, { orgId, userId: members[0], ...call }, NOW);
    const error = await rejection(authorizeAi(sql, { orgId, userId: members[0], ...call }, NOW));
    expect(error.toJSON().error).toMatchObject({ code: "user_allocation_exceeded", limitMicros: 5 * USD });
    expect(await pool(orgId)).toMatchObject({ held: 4_500_000 }); // the denied hold left nothing behind
    await authorizeAi(sql, { orgId, userId: members[1], ...call }, NOW); // the other member shares the pool
  });

  it("answers 402 ai_access_paused while paused, and other metering keeps working", async () => {
    const { orgId, db, sql, members } = await createOrg({ aiPaused: true, members: [{}] });
    const error = await rejection(authorizeAi(sql, { orgId, userId: members[0], ...BIG }, NOW));
    expect(error.status).toBe(402);
    expect(error.code).toBe("ai_access_paused");
    await consumeUsage(sql, { orgId, metric: "emails_sent", quantity: 10, idempotencyKey: "paused-email" }, { now: NOW });
  });

  it("holds against the ceiling of ai_budget's cap kind in lib/limits/metrics.ts, not its bare limit", async () => {
    // $10 pool. Hard: a $10.50 hold (pool, no credits) is refused. Soft (+10%, $11): the same hold fits.
    const hold = { feature: "chat", model: "claude-opus-4-1", inputTokens: 0, maxOutputTokens: 140_000 } as const;
    expect(seededCost(hold.model, 0, hold.maxOutputTokens)).toBe(10_500_000);
    const hard = await createOrg({ overrides: { ai_budget: 10 * USD }, members: [{}] });
    expect((await rejection(authorizeAi(hard.sql, { orgId: hard.orgId, userId: hard.members[0], ...hold }, NOW))).code).toBe("ai_budget_exhausted");
    const kind = METRICS.ai_budget.capKind;
    METRICS.ai_budget.capKind = "soft";
    try {
      const soft = await createOrg({ overrides: { ai_budget: 10 * USD }, members: [{}] });
      await authorizeAi(soft.sql, { orgId: soft.orgId, userId: soft.members[0], ...hold }, NOW);
      expect(await pool(soft.orgId)).toMatchObject({ held: 10_500_000 });
    } finally {
      METRICS.ai_budget.capKind = kind;
    }
  });
});

describe.skipIf(!onServer)("AI holds under concurrency (real Postgres)", () => {
  it("never holds more than pool + credits + allocation", async () => {
    const { orgId, db, sql, members } = await createOrg({ plan: "free", creditMicros: 2 * USD, members: [{}, { aiAllocationMicros: 3 * USD }] });
    const call = { feature: "chat", model: "claude-opus-4-1", inputTokens: 0, maxOutputTokens: 10_000 } as const; // $0.75
    const results = await Promise.allSettled(
      Array.from({ length: 60 }, (_, i) => authorizeAi(sql, { orgId, userId: members[i % 2], ...call }, NOW)),
    );
    const admitted = results.filter((r) => r.status === "fulfilled").length;
    // $7 total ($5 pool + $2 credits): 9 holds of $0.75; the limited member gets at most 4 ($3).
    expect(admitted).toBe(9);
    const state = await pool(orgId);
    expect(state.held + state.credits!.held).toBe(9 * 750_000);
    expect(state.held).toBeLessThanOrEqual(5 * USD);
    expect(state.credits!.held).toBeLessThanOrEqual(2 * USD);
    const store = await testStore();
    const [limited] = await store.sql.query<{ held: string }>(
      `SELECT held::text FROM usage_counters WHERE org_id = $1 AND user_id = $2 AND metric = 'ai_budget'`, [orgId, members[1]]);
    expect(Number(limited.held)).toBeLessThanOrEqual(3 * USD);
  });

  it("charges a hold once when its settle races itself", async () => {
    const { orgId, sql, members } = await createOrg({ members: [{}] });
    const { authorizationId } = await authorizeAi(sql, { orgId, userId: members[0], ...BIG }, NOW);
    const settlements = await Promise.all(
      Array.from({ length: 10 }, () => settleAi(sql, { orgId, authorizationId, inputTokens: 10_000, outputTokens: 2_000 })),
    );
    expect(new Set(settlements.map((s) => JSON.stringify(s))).size).toBe(1);
    expect(await pool(orgId)).toMatchObject({ used: settlements[0].costMicros, held: 0 });
    expect(await ledgerMismatches(orgId)).toEqual([]);
  });
});
