import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { POST as authorize } from "@/app/api/v1/ai/authorize/route";
import { POST as release } from "@/app/api/v1/ai/release/route";
import { POST as settle } from "@/app/api/v1/ai/settle/route";
import { POST as batch } from "@/app/api/v1/usage/batch/route";
import { POST as check } from "@/app/api/v1/usage/check/route";
import { POST as consume } from "@/app/api/v1/usage/consume/route";
import { call, createApiKey } from "../support/api";
import { createOrg, testStore } from "../support/store";

/**
 * Random and malformed input on every enforcement route: the answer is always
 * a 4xx with the error JSON (never a 5xx), and a rejected request records nothing.
 */

const ROUTES = { consume, check, batch, authorize, settle, release };

const nasty = fc.oneof(
  fc.constant(null), fc.boolean(), fc.string(), fc.string({ unit: "grapheme" }), fc.integer(), fc.double(),
  fc.constant(Number.MAX_SAFE_INTEGER + 2), fc.constant(-1), fc.constant(1e308), fc.constant(""), fc.constant("emails_sent"),
  fc.constant("gpt-4.1"), fc.constant("chat"), fc.array(fc.integer(), { maxLength: 3 }), fc.dictionary(fc.string(), fc.integer(), { maxKeys: 2 }),
);

/** Bodies shaped like the real ones, with each field drawn from hostile values. */
const shapedBody = fc.record(
  {
    metric: nasty, quantity: nasty, userId: nasty, idempotencyKey: nasty, feature: nasty, model: nasty,
    inputTokens: nasty, maxOutputTokens: nasty, outputTokens: nasty, authorizationId: nasty, events: fc.oneof(nasty, fc.array(nasty, { maxLength: 3 })),
  },
  { requiredKeys: [] },
);

async function recorded(orgId: string) {
  const store = await testStore();
  const [row] = await store.sql.query<{ ledger: number; holds: number; used: string }>(
    `SELECT (SELECT count(*)::int FROM usage_ledger WHERE org_id = $1) AS ledger,
            (SELECT count(*)::int FROM ai_authorizations WHERE org_id = $1) AS holds,
            (SELECT COALESCE(SUM(used + held), 0)::text FROM usage_counters WHERE org_id = $1) AS used`,
    [orgId],
  );
  return row;
}

describe("every route under hostile input", () => {
  for (const [name, handler] of Object.entries(ROUTES)) {
    it(`${name}: 4xx with a JSON error, never 5xx, nothing recorded on rejection`, async () => {
      const { orgId } = await createOrg({ plan: "free", members: [{ id: `user_${name}_${Date.now()}` }] });
      const key = await createApiKey(orgId);
      await fc.assert(
        fc.asyncProperty(fc.oneof(shapedBody, fc.anything(), fc.jsonValue()), async (body) => {
          const before = await recorded(orgId);
          const res = await call(handler, key, body);
          expect(res.status).toBeLessThan(500);
          if (res.status !== 200) {
            expect(res.status).toBeGreaterThanOrEqual(400);
            expect(typeof res.json.error.code).toBe("string");
            expect(typeof res.json.error.message).toBe("string");
            expect(await recorded(orgId)).toEqual(before);
          }
        }),
        { numRuns: 150 },
      );
    });
  }

  it("answers malformed JSON, wrong content and oversized bodies with 400 and 413", async () => {
    const { orgId } = await createOrg();
    const key = await createApiKey(orgId);
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: "binary" }), async (raw) => {
        const res = await call(consume, key, undefined, { raw });
        expect([400, 413]).toContain(res.status);
      }),
      { numRuns: 200 },
    );
    for (const handler of Object.values(ROUTES)) {
      const res = await call(handler, key, undefined, { raw: JSON.stringify({ padding: "x".repeat(2 * 1024 * 1024) }) });
      expect(res.status).toBe(413);
      expect(res.json.error.code).toBe("payload_too_large");
    }
    expect(await recorded(orgId)).toMatchObject({ ledger: 0, holds: 0 });
  });
});
