import { describe, expect, it } from "vitest";
import { POST as authorize } from "@/app/api/v1/ai/authorize/route";
import { POST as release } from "@/app/api/v1/ai/release/route";
import { POST as settle } from "@/app/api/v1/ai/settle/route";
import { POST as check } from "@/app/api/v1/usage/check/route";
import { POST as consume } from "@/app/api/v1/usage/consume/route";
import { GET as usage } from "@/app/api/v1/usage/route";
import { call, createApiKey } from "../support/api";
import { createOrg, testStore } from "../support/store";

async function ledgerCount(orgId: string) {
  const store = await testStore();
  const [row] = await store.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM usage_ledger WHERE org_id = $1`, [orgId]);
  return row.n;
}

describe("enforcement API", () => {
  it("consumes and answers the contract's 200 body", async () => {
    const { orgId } = await createOrg({ plan: "free" });
    const key = await createApiKey(orgId);
    const res = await call(consume, key, { metric: "emails_sent", quantity: 12, idempotencyKey: "a" });
    expect(res.status).toBe(200);
    expect(Object.keys(res.json).sort()).toEqual(["allowed", "capKind", "limit", "metric", "percent", "remaining", "resetsAt", "used"]);
    expect(res.json).toMatchObject({ allowed: true, metric: "emails_sent", used: 12, limit: 500, remaining: 488, percent: 2.4, capKind: "hard" });
  });

  it("answers 429 with Retry-After in seconds when a cap is hit", async () => {
    const { orgId } = await createOrg({ plan: "free" });
    const key = await createApiKey(orgId);
    const res = await call(consume, key, { metric: "emails_sent", quantity: 501, idempotencyKey: "b" });
    expect(res.status).toBe(429);
    expect(res.json.error).toMatchObject({ code: "limit_exceeded", metric: "emails_sent", used: 0, limit: 500, capKind: "hard" });
    expect(res.json.error.message).toMatch(/Emails Sent limit/);
    const retryAfter = Number(res.headers.get("retry-after"));
    expect(Number.isInteger(retryAfter) && retryAfter > 0 && retryAfter <= 31 * 86_400).toBe(true);
  });

  it("rejects bad input with 400 invalid_request and zod's issues, recording nothing", async () => {
    const { orgId } = await createOrg();
    const key = await createApiKey(orgId);
    const bad = [
      { metric: "emails_sent", quantity: 1.5, idempotencyKey: "x" },
      { metric: "nope", quantity: 1, idempotencyKey: "x" },
      { metric: "emails_sent", quantity: "1", idempotencyKey: "x" },
      { metric: "emails_sent", quantity: 1 },
      { metric: "emails_sent", quantity: 1, idempotencyKey: "x", extra: true },
      { metric: "emails_sent", quantity: 1e300, idempotencyKey: "x" },
    ];
    for (const body of bad) {
      const res = await call(consume, key, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.error.code).toBe("invalid_request");
      expect(Array.isArray(res.json.error.issues)).toBe(true);
    }
    const malformed = await call(consume, key, undefined, { raw: "{not json" });
    expect(malformed.json.error.code).toBe("invalid_request");
    const huge = await call(consume, key, undefined, { raw: JSON.stringify({ metric: "emails_sent", quantity: 1, idempotencyKey: "x".repeat(70_000) }) });
    expect(huge.status).toBe(413);
    expect(await ledgerCount(orgId)).toBe(0);
  });

  it("answers 401 without a valid key, 403 for another org's user, 409 for a reused key", async () => {
    const { orgId } = await createOrg();
    const other = await createOrg({ members: [{}] });
    const key = await createApiKey(orgId);
    expect((await call(consume, null, { metric: "api_calls", quantity: 1, idempotencyKey: "c" })).status).toBe(401);
    expect((await call(consume, "ll_live_wrong", { metric: "api_calls", quantity: 1, idempotencyKey: "c" })).status).toBe(401);
    const foreign = await call(consume, key, { metric: "enrichments", quantity: 1, userId: other.members[0], idempotencyKey: "c" });
    expect(foreign.status).toBe(403);
    expect(foreign.json.error.code).toBe("forbidden");
    await call(consume, key, { metric: "api_calls", quantity: 1, idempotencyKey: "d" });
    const conflict = await call(consume, key, { metric: "api_calls", quantity: 2, idempotencyKey: "d" });
    expect(conflict.status).toBe(409);
    expect(conflict.json.error.code).toBe("idempotency_conflict");
    expect(await ledgerCount(orgId)).toBe(1);
  });

  it("checks without recording", async () => {
    const { orgId } = await createOrg({ plan: "free" });
    const key = await createApiKey(orgId);
    const res = await call(check, key, { metric: "emails_sent", quantity: 600 });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ allowed: false, used: 0, limit: 500 });
    expect(await ledgerCount(orgId)).toBe(0);
  });

  it("runs the AI cycle over the API and reports usage without model names", async () => {
    const { orgId, members } = await createOrg({ members: [{}] });
    const key = await createApiKey(orgId);
    const auth = await call(authorize, key, { userId: members[0], feature: "chat", model: "gpt-4.1", inputTokens: 1_000, maxOutputTokens: 1_000 });
    expect(auth.status).toBe(200);
    expect(auth.json).toMatchObject({ holdMicros: 10_000 });
    const settled = await call(settle, key, { authorizationId: auth.json.authorizationId, inputTokens: 1_000, outputTokens: 500 });
    expect(settled.json).toMatchObject({ status: "settled", costMicros: 6_000, tier: "standard" });
    const again = await call(settle, key, { authorizationId: auth.json.authorizationId, inputTokens: 1_000, outputTokens: 500 });
    expect(again.json).toEqual(settled.json);
    const second = await call(authorize, key, { userId: members[0], feature: "chat", model: "gpt-4.1", inputTokens: 1, maxOutputTokens: 1 });
    expect((await call(release, key, { authorizationId: second.json.authorizationId })).json.status).toBe("released");

    const snapshot = await call(usage, key, undefined, { method: "GET" });
    expect(snapshot.status).toBe(200);
    expect(snapshot.json.ai.usedMicros).toBe(6_000);
    expect(snapshot.json.members[0]).toMatchObject({ userId: members[0], ai: { usedMicros: 6_000, allocationMicros: null } });
    expect(JSON.stringify(snapshot.json)).not.toMatch(/gpt-4\.1/);
  });

  it("answers 404 for another org's authorization", async () => {
    const a = await createOrg({ members: [{}] });
    const b = await createOrg();
    const keyA = await createApiKey(a.orgId);
    const keyB = await createApiKey(b.orgId);
    const auth = await call(authorize, keyA, { userId: a.members[0], feature: "chat", model: "gpt-4.1", inputTokens: 1, maxOutputTokens: 1 });
    expect((await call(settle, keyB, { authorizationId: auth.json.authorizationId, inputTokens: 1, outputTokens: 1 })).status).toBe(404);
    expect((await call(release, keyB, { authorizationId: auth.json.authorizationId })).status).toBe(404);
  });
});
