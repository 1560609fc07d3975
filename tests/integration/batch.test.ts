import { describe, expect, it } from "vitest";
import { POST as batch } from "@/app/api/v1/usage/batch/route";
import { POST as consume } from "@/app/api/v1/usage/consume/route";
import { call, createApiKey } from "../support/api";
import { createOrg, ledgerMismatches, onServer, testStore } from "../support/store";

describe("POST /api/v1/usage/batch", () => {
  it("answers each event on its own, all or nothing per event, in order", async () => {
    const { orgId, members } = await createOrg({ plan: "free", members: [{ enrichmentAllocation: 1 }] });
    const key = await createApiKey(orgId);
    const res = await call(batch, key, {
      events: [
        { metric: "emails_sent", quantity: 400, idempotencyKey: "e1" },
        { metric: "emails_sent", quantity: 200, idempotencyKey: "e2" }, // would pass 500: denied
        { metric: "emails_sent", quantity: 100, idempotencyKey: "e3" }, // fits exactly
        { metric: "enrichments", quantity: 1, userId: members[0], idempotencyKey: "e4" },
        { metric: "enrichments", quantity: 1, userId: members[0], idempotencyKey: "e5" }, // allocation used
        { metric: "emails_sent", quantity: -1, idempotencyKey: "e6" }, // invalid: resets each cycle
        { metric: "emails_sent", quantity: 400, idempotencyKey: "e1" }, // retry of e1
        { metric: "emails_sent", quantity: 1, idempotencyKey: "e3" }, // e3 reused for something else
      ],
    });
    expect(res.status).toBe(200);
    expect(res.json.results.map((r: { status: number }) => r.status)).toEqual([200, 429, 200, 200, 429, 400, 200, 409]);
    expect(res.json.results[1].error).toMatchObject({ code: "limit_exceeded", used: 400, limit: 500 });
    expect(res.json.results[4].error.code).toBe("user_allocation_exceeded");
    expect(res.json.results[6]).toMatchObject({ used: 400 });
    expect(res.json).toMatchObject({ admitted: 4, denied: 4 });
    expect(await ledgerMismatches(orgId)).toEqual([]);

    const retry = await call(batch, key, { events: [{ metric: "emails_sent", quantity: 100, idempotencyKey: "e3" }] });
    expect(retry.json.results[0]).toMatchObject({ status: 200, used: 500 });
  });

  it("rejects a batch over 1,000 events or with an invalid event whole, recording nothing", async () => {
    const { orgId } = await createOrg();
    const key = await createApiKey(orgId);
    const events = Array.from({ length: 1_001 }, (_, i) => ({ metric: "api_calls", quantity: 1, idempotencyKey: `k${i}` }));
    expect((await call(batch, key, { events })).status).toBe(400);
    expect((await call(batch, key, { events: [{ metric: "api_calls", quantity: "1", idempotencyKey: "x" }] })).status).toBe(400);
    const store = await testStore();
    expect(await store.sql.query(`SELECT 1 FROM usage_ledger WHERE org_id = $1`, [orgId])).toHaveLength(0);
  });

  it("ingests 1,000 events in one request", async () => {
    const { orgId } = await createOrg({ plan: "pro" });
    const key = await createApiKey(orgId);
    const events = Array.from({ length: 1_000 }, (_, i) => ({ metric: "api_calls", quantity: 1, idempotencyKey: `bulk-${i}` }));
    const res = await call(batch, key, { events });
    expect(res.json.admitted).toBe(1_000);
    expect(res.json.results[999]).toMatchObject({ used: 1_000 });
    expect(await ledgerMismatches(orgId)).toEqual([]);
  });
});

describe("terms and keys take effect on the very next call", () => {
  it("applies a changed allocation, plan or override at once despite the enforcement cache", async () => {
    const { orgId, members, db } = await createOrg({ plan: "free", members: [{ enrichmentAllocation: 1 }] });
    const key = await createApiKey(orgId);
    const enrich = (k: string) => call(consume, key, { metric: "enrichments", quantity: 1, userId: members[0], idempotencyKey: k });
    expect((await enrich("a")).status).toBe(200);
    expect((await enrich("b")).json.error.code).toBe("user_allocation_exceeded");
    await db.membership.update({ where: { orgId_userId: { orgId, userId: members[0] } }, data: { enrichmentAllocation: 2 } });
    expect((await enrich("b")).status).toBe(200);
    await db.org.update({ where: { id: orgId }, data: { limitOverrides: { enrichments: 2 } } });
    await db.membership.update({ where: { orgId_userId: { orgId, userId: members[0] } }, data: { enrichmentAllocation: null } });
    expect((await enrich("c")).json.error).toMatchObject({ code: "limit_exceeded", limit: 2 });
    await db.org.update({ where: { id: orgId }, data: { plan: "pro", limitOverrides: {} } });
    expect((await enrich("c")).status).toBe(200);
  });

  it("answers 401 on the next consume after a key is revoked", async () => {
    const { orgId, db } = await createOrg();
    const key = await createApiKey(orgId);
    expect((await call(consume, key, { metric: "api_calls", quantity: 1, idempotencyKey: "r1" })).status).toBe(200);
    await db.apiKey.updateMany({ where: { orgId }, data: { revokedAt: new Date() } });
    const res = await call(consume, key, { metric: "api_calls", quantity: 1, idempotencyKey: "r2" });
    expect(res.status).toBe(401);
    expect(res.json.error.code).toBe("unauthorized");
    expect((await call(batch, key, { events: [{ metric: "api_calls", quantity: 1, idempotencyKey: "r3" }] })).status).toBe(401);
  });
});

describe.skipIf(!onServer)("batches under concurrency (real Postgres)", () => {
  it("stays exact when many batches race for the same counters", async () => {
    const { orgId } = await createOrg({ plan: "free" }); // api_calls: 1,000
    const key = await createApiKey(orgId);
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, b) =>
        call(batch, key, { events: Array.from({ length: 100 }, (_, i) => ({ metric: "api_calls", quantity: 1, idempotencyKey: `race-${b}-${i}` })) })),
    );
    expect(results.reduce((sum, r) => sum + r.json.admitted, 0)).toBe(1_000);
    expect(await ledgerMismatches(orgId)).toEqual([]);
  });
});
