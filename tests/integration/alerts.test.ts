import { describe, expect, it } from "vitest";
import { crossings } from "../support/crossings-oracle";
import { authorizeAi, settleAi } from "@/lib/metering/ai-holds";
import { consumeUsage } from "@/lib/metering/consume";
import { createOrg, onServer, testStore } from "../support/store";

const NOW = new Date("2026-03-20T12:00:00Z");
let n = 0;
const key = () => `alert-${n++}`;

async function alerts(orgId: string) {
  const store = await testStore();
  return store.sql.query<{ user_id: string; metric: string; threshold: number; state: string }>(
    `SELECT user_id, metric, threshold, state FROM usage_alerts WHERE org_id = $1 ORDER BY id`, [orgId]);
}

async function blocked(orgId: string, metric: string, userId = "") {
  const store = await testStore();
  const [row] = await store.sql.query<{ blocked: string }>(
    `SELECT blocked::text FROM usage_counters WHERE org_id = $1 AND metric = $2 AND user_id = $3`, [orgId, metric, userId]);
  return Number(row?.blocked ?? 0);
}

describe("usage alerts", () => {
  it("raises 80, 90 and 100% once each as usage climbs, and counts blocked requests", async () => {
    const { orgId, sql } = await createOrg({ plan: "free" }); // emails_sent: 500
    for (const quantity of [399, 1, 49, 1, 50]) await consumeUsage(sql, { orgId, metric: "emails_sent", quantity, idempotencyKey: key() }, { now: NOW });
    await consumeUsage(sql, { orgId, metric: "emails_sent", quantity: 1, idempotencyKey: key() }, { now: NOW }).catch(() => null);
    await consumeUsage(sql, { orgId, metric: "emails_sent", quantity: 1, idempotencyKey: key() }, { now: NOW }).catch(() => null);
    expect(await alerts(orgId)).toEqual([
      { user_id: "", metric: "emails_sent", threshold: 80, state: "raised" },
      { user_id: "", metric: "emails_sent", threshold: 90, state: "raised" },
      { user_id: "", metric: "emails_sent", threshold: 100, state: "raised" },
    ]);
    expect(await blocked(orgId, "emails_sent")).toBe(2);
  });

  it("resolves when a cumulative metric falls back below a threshold", async () => {
    const { orgId, sql } = await createOrg({ plan: "free" }); // contacts: 1,000
    await consumeUsage(sql, { orgId, metric: "contacts", quantity: 850, idempotencyKey: key() }, { now: NOW });
    await consumeUsage(sql, { orgId, metric: "contacts", quantity: -100, idempotencyKey: key() }, { now: NOW });
    await consumeUsage(sql, { orgId, metric: "contacts", quantity: 60, idempotencyKey: key() }, { now: NOW });
    expect((await alerts(orgId)).map((a) => `${a.threshold}:${a.state}`)).toEqual(["80:raised", "80:resolved", "80:raised"]);
  });

  it("alerts on members' allocations and on the AI pool", async () => {
    const { orgId, db, sql, members } = await createOrg({ plan: "free", members: [{ enrichmentAllocation: 10, aiAllocationMicros: 1_000_000 }] });
    await consumeUsage(sql, { orgId, metric: "enrichments", quantity: 9, userId: members[0], idempotencyKey: key() }, { now: NOW });
    const { authorizationId } = await authorizeAi(sql, { orgId, userId: members[0], feature: "chat", model: "gpt-4.1", inputTokens: 0, maxOutputTokens: 120_000 }, NOW);
    await settleAi(sql, { orgId, authorizationId, inputTokens: 0, outputTokens: 120_000 }); // $0.96 of $1 allocation, of $5 pool
    const raised = (await alerts(orgId)).map((a) => `${a.user_id ? "member" : "org"}:${a.metric}:${a.threshold}`);
    expect(raised).toEqual([
      "member:enrichments:80", "member:enrichments:90",
      "member:ai_budget:80", "member:ai_budget:90",
    ]);
  });

  it("agrees with the store's SQL twin on random moves", async () => {
    const store = await testStore();
    let seed = 7;
    const random = (max: number) => (seed = (seed * 48_271) % 2_147_483_647) % max;
    const cases = Array.from({ length: 300 }, () => [random(2_000), random(2_000), random(1_500) + 1]);
    const rows = await store.sql.query<{ i: number; threshold: number; state: string }>(
      `SELECT c.i, x.threshold, x.state FROM unnest($1::bigint[], $2::bigint[], $3::bigint[]) WITH ORDINALITY AS c(b, a, l, i),
       LATERAL ledgerline_crossings(c.b, c.a, c.l) x ORDER BY c.i, x.threshold`,
      [cases.map((c) => c[0]), cases.map((c) => c[1]), cases.map((c) => c[2])],
    );
    const expected = cases.flatMap(([b, a, l], i) => crossings(b, a, l).map((c) => ({ i: i + 1, ...c })));
    expect(rows.map((r) => ({ i: Number(r.i), threshold: r.threshold, state: r.state }))).toEqual(expected);
  });
});

describe.skipIf(!onServer)("alerts under concurrency (real Postgres)", () => {
  it("raises exactly one alert per threshold per period", async () => {
    const { orgId, sql } = await createOrg({ plan: "free" }); // api_calls: 1,000
    await Promise.allSettled(
      Array.from({ length: 300 }, () => consumeUsage(sql, { orgId, metric: "api_calls", quantity: 5, idempotencyKey: key() }, { now: NOW })),
    );
    expect((await alerts(orgId)).map((a) => a.threshold)).toEqual([80, 90, 100]);
    expect(await blocked(orgId, "api_calls")).toBe(100);
  });
});
