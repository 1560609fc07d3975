import { describe, expect, it } from "vitest";
import { ApiError } from "@/lib/api/errors";
import { checkUsage, consumeUsage } from "@/lib/metering/consume";
import { rejection } from "../support/rejection";
import { createOrg, ledgerMismatches, onServer, testStore } from "../support/store";

const NOW = new Date("2026-03-20T12:00:00Z");
let key = 0;
const nextKey = () => `key-${Date.now()}-${key++}`;

describe("consumeUsage", () => {
  it("admits up to a hard cap, then answers limit_exceeded with the reset time", async () => {
    const { orgId, db, sql } = await createOrg({ plan: "free" }); // emails_sent: 500
    const first = await consumeUsage(sql, { orgId, metric: "emails_sent", quantity: 499, idempotencyKey: nextKey() }, { now: NOW });
    expect(first).toMatchObject({ allowed: true, used: 499, limit: 500, remaining: 1, capKind: "hard", resetsAt: "2026-04-15T00:00:00.000Z" });
    const error = await rejection(consumeUsage(sql, { orgId, metric: "emails_sent", quantity: 2, idempotencyKey: nextKey() }, { now: NOW }));
    expect(error.status).toBe(429);
    expect(error.toJSON().error).toMatchObject({ code: "limit_exceeded", metric: "emails_sent", used: 499, limit: 500, capKind: "hard" });
    expect(error.retryAfter).toBe((Date.parse("2026-04-15T00:00:00Z") - NOW.getTime()) / 1000);
    const last = await consumeUsage(sql, { orgId, metric: "emails_sent", quantity: 1, idempotencyKey: nextKey() }, { now: NOW });
    expect(last).toMatchObject({ used: 500, remaining: 0, percent: 100 });
    expect(await ledgerMismatches(orgId)).toEqual([]);
  });

  it("lets soft caps run to 110% and counts unlimited metrics", async () => {
    const { orgId, db, sql } = await createOrg({ plan: "free" }); // contacts 1,000 soft -> 1,100
    await consumeUsage(sql, { orgId, metric: "contacts", quantity: 1_100, idempotencyKey: nextKey() }, { now: NOW });
    const error = await rejection(consumeUsage(sql, { orgId, metric: "contacts", quantity: 1, idempotencyKey: nextKey() }, { now: NOW }));
    expect(error.toJSON().error).toMatchObject({ code: "limit_exceeded", capKind: "soft", resetsAt: null });
    expect(error.retryAfter).toBeUndefined(); // cumulative: never resets

    const ultra = await createOrg({ plan: "ultra" });
    const result = await consumeUsage(ultra.sql, { orgId: ultra.orgId, metric: "emails_sent", quantity: 5_000_000, idempotencyKey: nextKey() }, { now: NOW });
    expect(result).toMatchObject({ allowed: true, used: 5_000_000, limit: null, remaining: null });
  });

  it("frees room on cumulative metrics with negative quantities, never below zero", async () => {
    const { orgId, db, sql } = await createOrg({ plan: "free" });
    await consumeUsage(sql, { orgId, metric: "contacts", quantity: 1_100, idempotencyKey: nextKey() }, { now: NOW });
    const freed = await consumeUsage(sql, { orgId, metric: "contacts", quantity: -100, idempotencyKey: nextKey() }, { now: NOW });
    expect(freed).toMatchObject({ allowed: true, used: 1_000 });
    const clamped = await consumeUsage(sql, { orgId, metric: "contacts", quantity: -5_000, idempotencyKey: nextKey() }, { now: NOW });
    expect(clamped.used).toBe(0);
    expect(await ledgerMismatches(orgId)).toEqual([]);
    const error = await rejection(consumeUsage(sql, { orgId, metric: "emails_sent", quantity: -1, idempotencyKey: nextKey() }, { now: NOW }));
    expect(error.code).toBe("invalid_request");
  });

  it("resets monthly counters at the anchor while cumulative ones carry on", async () => {
    const { orgId, db, sql } = await createOrg({ plan: "free", anchor: new Date("2026-01-31T00:00:00Z") });
    await consumeUsage(sql, { orgId, metric: "emails_sent", quantity: 500, idempotencyKey: nextKey() }, { now: new Date("2026-02-27T23:00:00Z") });
    await consumeUsage(sql, { orgId, metric: "contacts", quantity: 10, idempotencyKey: nextKey() }, { now: new Date("2026-02-27T23:00:00Z") });
    const next = await consumeUsage(sql, { orgId, metric: "emails_sent", quantity: 500, idempotencyKey: nextKey() }, { now: new Date("2026-02-28T00:00:00Z") });
    expect(next).toMatchObject({ used: 500, resetsAt: "2026-03-31T00:00:00.000Z" });
    const contacts = await consumeUsage(sql, { orgId, metric: "contacts", quantity: 1, idempotencyKey: nextKey() }, { now: new Date("2026-02-28T00:00:00Z") });
    expect(contacts.used).toBe(11);
  });

  it("applies per-org overrides", async () => {
    const { orgId, db, sql } = await createOrg({ plan: "free", overrides: { emails_sent: 2 } });
    await consumeUsage(sql, { orgId, metric: "emails_sent", quantity: 2, idempotencyKey: nextKey() }, { now: NOW });
    expect((await rejection(consumeUsage(sql, { orgId, metric: "emails_sent", quantity: 1, idempotencyKey: nextKey() }, { now: NOW }))).code).toBe("limit_exceeded");
  });

  it("checks a member's allocation as well as the org cap, and records nothing when either denies", async () => {
    const { orgId, db, sql, members } = await createOrg({ plan: "pro", members: [{ enrichmentAllocation: 5 }, {}] });
    const [limited, sharing] = members;
    await consumeUsage(sql, { orgId, metric: "enrichments", quantity: 5, userId: limited, idempotencyKey: nextKey() }, { now: NOW });
    const error = await rejection(consumeUsage(sql, { orgId, metric: "enrichments", quantity: 1, userId: limited, idempotencyKey: nextKey() }, { now: NOW }));
    expect(error.toJSON().error).toMatchObject({ code: "user_allocation_exceeded", used: 5, limit: 5 });
    // The org counter was not touched by the denied request.
    const shared = await consumeUsage(sql, { orgId, metric: "enrichments", quantity: 995, userId: sharing, idempotencyKey: nextKey() }, { now: NOW });
    expect(shared.used).toBe(1_000);
    expect(await ledgerMismatches(orgId)).toEqual([]);
  });

  it("answers 403 for a user outside the org", async () => {
    const other = await createOrg({ members: [{}] });
    const { orgId, db, sql } = await createOrg();
    const error = await rejection(consumeUsage(sql, { orgId, metric: "enrichments", quantity: 1, userId: other.members[0], idempotencyKey: nextKey() }, { now: NOW }));
    expect(error.status).toBe(403);
  });
});

describe("idempotency", () => {
  it("replays the first answer for a retry and counts once", async () => {
    const { orgId, db, sql } = await createOrg();
    const idempotencyKey = nextKey();
    const first = await consumeUsage(sql, { orgId, metric: "api_calls", quantity: 3, idempotencyKey }, { now: NOW });
    const retry = await consumeUsage(sql, { orgId, metric: "api_calls", quantity: 3, idempotencyKey }, { now: NOW });
    expect(retry).toEqual(first);
    const check = await checkUsage(sql, { orgId, metric: "api_calls", quantity: 0 }, NOW);
    expect(check.used).toBe(3);
  });

  it("answers 409 when a key is reused for a different request", async () => {
    const { orgId, db, sql } = await createOrg();
    const idempotencyKey = nextKey();
    await consumeUsage(sql, { orgId, metric: "api_calls", quantity: 3, idempotencyKey }, { now: NOW });
    const error = await rejection(consumeUsage(sql, { orgId, metric: "api_calls", quantity: 4, idempotencyKey }, { now: NOW }));
    expect(error.status).toBe(409);
    expect(error.code).toBe("idempotency_conflict");
  });

  it("does not keep the key of a denied request, so it can succeed later", async () => {
    const { orgId, db, sql } = await createOrg({ plan: "free" });
    const idempotencyKey = nextKey();
    await rejection(consumeUsage(sql, { orgId, metric: "emails_sent", quantity: 501, idempotencyKey }, { now: NOW }));
    const store = await testStore();
    expect(await store.sql.query(`SELECT 1 FROM usage_ledger WHERE org_id = $1 AND idempotency_key = $2`, [orgId, idempotencyKey])).toHaveLength(0);
    // Another request under the same key is then not a reuse (409) but a request of its own.
    expect(await consumeUsage(sql, { orgId, metric: "emails_sent", quantity: 5, idempotencyKey }, { now: NOW })).toMatchObject({ allowed: true, used: 5 });
  });
});

describe("checkUsage", () => {
  it("answers whether the quantity fits, recording nothing (its agreement with consume: check-agrees-with-consume.test.ts)", async () => {
    const { orgId, db, sql } = await createOrg({ plan: "free" });
    expect(await checkUsage(sql, { orgId, metric: "emails_sent", quantity: 500 }, NOW)).toMatchObject({ allowed: true, used: 0 });
    expect(await checkUsage(sql, { orgId, metric: "emails_sent", quantity: 501 }, NOW)).toMatchObject({ allowed: false, used: 0, limit: 500 });
    const store = await testStore();
    expect(await store.sql.query(`SELECT 1 FROM usage_ledger WHERE org_id = $1`, [orgId])).toHaveLength(0);
  });
});

describe.skipIf(!onServer)("under concurrency (real Postgres)", () => {
  it("admits exactly the cap out of 200 concurrent consumes at the edge", async () => {
    const { orgId, db, sql } = await createOrg({ plan: "free" }); // emails_sent: 500
    await consumeUsage(sql, { orgId, metric: "emails_sent", quantity: 450, idempotencyKey: nextKey() }, { now: NOW });
    const results = await Promise.allSettled(
      Array.from({ length: 200 }, () => consumeUsage(sql, { orgId, metric: "emails_sent", quantity: 1, idempotencyKey: nextKey() }, { now: NOW })),
    );
    const admitted = results.filter((r) => r.status === "fulfilled").length;
    const denied = results.filter((r) => r.status === "rejected" && (r.reason as ApiError).code === "limit_exceeded").length;
    expect(admitted).toBe(50);
    expect(denied).toBe(150);
    expect((await checkUsage(sql, { orgId, metric: "emails_sent", quantity: 0 }, NOW)).used).toBe(500);
    expect(await ledgerMismatches(orgId)).toEqual([]);
  });

  it("counts a key once when the same request races itself", async () => {
    const { orgId, db, sql } = await createOrg();
    const idempotencyKey = nextKey();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => consumeUsage(sql, { orgId, metric: "api_calls", quantity: 7, idempotencyKey }, { now: NOW })),
    );
    expect(new Set(results.map((r) => r.used))).toEqual(new Set([7]));
    expect((await checkUsage(sql, { orgId, metric: "api_calls", quantity: 0 }, NOW)).used).toBe(7);
  });

  it("keeps member allocations exact under concurrency", async () => {
    const { orgId, db, sql, members } = await createOrg({ members: [{ enrichmentAllocation: 30 }] });
    const results = await Promise.allSettled(
      Array.from({ length: 100 }, () =>
        consumeUsage(sql, { orgId, metric: "enrichments", quantity: 1, userId: members[0], idempotencyKey: nextKey() }, { now: NOW })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(30);
    expect(await ledgerMismatches(orgId)).toEqual([]);
  });
});
