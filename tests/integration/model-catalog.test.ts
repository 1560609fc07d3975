import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { aiAuthorize } from "@/app/api/endpoints";
import { nextRoute } from "@/lib/api/endpoint";
import { addModel, CatalogChangeError, priceModel, retireModel } from "@/lib/admin/model-catalog";
import { MODEL_CHANGE_LEAD_MS } from "@/lib/limits/model-catalog";
import { authorizeAi, settleAi } from "@/lib/metering/ai-holds";
import { forgetModelCatalog } from "@/lib/metering/model-catalog-cache";
import { getUsageSnapshot } from "@/lib/metering/snapshot";
import { call, createApiKey } from "../support/api";
import { createOrg, ledgerMismatches, onServer, testStore } from "../support/store";

// Each test makes models of its own: other tests price the seeded ones at today's prices.
const modelId = () => `test-model-${randomUUID().slice(0, 8)}`;
const LONG_AGO = new Date("2020-01-01T00:00:00Z");
const later = (now: Date, ms: number) => new Date(now.getTime() + ms);

describe("models and prices as data", () => {
  it("charges a price change only to authorizations made after it, and keeps each charge's price and tier", async () => {
    const { sql, orgId, db, members } = await createOrg({ plan: "pro", members: [{}] });
    const model = modelId();
    await addModel(sql, { id: model, tier: "fast", inputPerMillionMicros: 1_000_000, outputPerMillionMicros: 2_000_000, at: LONG_AGO });
    const now = new Date();
    const changeAt = later(now, MODEL_CHANGE_LEAD_MS + 1_000);
    await priceModel(sql, { id: model, tier: "standard", inputPerMillionMicros: 3_000_000, outputPerMillionMicros: 6_000_000, at: changeAt }, now);

    const call = { orgId, userId: members[0], model, inputTokens: 1_000, maxOutputTokens: 1_000 };
    const before = await authorizeAi(sql, { ...call, feature: "email" }, now);
    const after = await authorizeAi(sql, { ...call, feature: "chat" }, later(changeAt, 1_000));
    expect(before.holdMicros).toBe(1_000 + 2_000);
    expect(after.holdMicros).toBe(3_000 + 6_000);

    // Settled after the change, the earlier hold still pays the price it was authorized at.
    const first = await settleAi(sql, { orgId, authorizationId: before.authorizationId, inputTokens: 1_000, outputTokens: 500 });
    const second = await settleAi(sql, { orgId, authorizationId: after.authorizationId, inputTokens: 1_000, outputTokens: 500 });
    expect(first).toMatchObject({ costMicros: 1_000 + 1_000, tier: "fast" });
    expect(second).toMatchObject({ costMicros: 3_000 + 3_000, tier: "standard" });

    const snapshot = await getUsageSnapshot(db, orgId, later(changeAt, 2_000));
    const tiers = Object.fromEntries(snapshot.ai.byFeature.filter((f) => f.spentMicros > 0).map((f) => [f.feature, [f.tier, f.spentMicros]]));
    expect(tiers).toEqual({ email: ["Fast", 2_000], chat: ["Standard", 6_000] });
    expect(await ledgerMismatches(orgId)).toEqual([]);
  });

  it("answers an unknown model, and a retired one, with 422 unknown_model naming it; holds made before still settle", async () => {
    const { sql, orgId, members } = await createOrg({ plan: "pro", members: [{}] });
    const key = await createApiKey(orgId);
    const route = nextRoute(aiAuthorize);
    const unknown = await call(route, key, { userId: members[0], feature: "email", model: "gpt-9-imaginary", inputTokens: 10, maxOutputTokens: 10 });
    expect(unknown.status).toBe(422);
    expect(unknown.json.error).toMatchObject({ code: "unknown_model", model: "gpt-9-imaginary" });
    expect(unknown.json.error.message).toContain('"gpt-9-imaginary"');

    const model = modelId();
    await addModel(sql, { id: model, tier: "light", inputPerMillionMicros: 100_000, outputPerMillionMicros: 400_000, at: LONG_AGO });
    const now = new Date();
    const retiredAt = later(now, MODEL_CHANGE_LEAD_MS + 1_000);
    await retireModel(sql, { id: model, at: retiredAt }, now);
    const held = await authorizeAi(sql, { orgId, userId: members[0], feature: "email", model, inputTokens: 1_000_000, maxOutputTokens: 0 }, now);
    await expect(authorizeAi(sql, { orgId, userId: members[0], feature: "email", model, inputTokens: 10, maxOutputTokens: 10 }, later(retiredAt, 1)))
      .rejects.toMatchObject({ code: "unknown_model", status: 422, message: expect.stringContaining("retired") });
    expect(await settleAi(sql, { orgId, authorizationId: held.authorizationId, inputTokens: 1_000_000, outputTokens: 0 })).toMatchObject({ costMicros: 100_000 });
  });

  it("refuses a change that would apply before every instance knows it, and a second add of one model", async () => {
    const { sql } = await testStore();
    const model = modelId();
    const now = new Date();
    await addModel(sql, { id: model, tier: "fast", inputPerMillionMicros: 1, outputPerMillionMicros: 1, at: LONG_AGO });
    await expect(priceModel(sql, { id: model, inputPerMillionMicros: 2, outputPerMillionMicros: 2, at: now }, now)).rejects.toThrow(CatalogChangeError);
    await expect(retireModel(sql, { id: model, at: later(now, 1_000) }, now)).rejects.toThrow(/at least 60 s/);
    await expect(addModel(sql, { id: model, tier: "fast", inputPerMillionMicros: 1, outputPerMillionMicros: 1 })).rejects.toThrow(/already in the catalog/);
    await expect(addModel(sql, { id: "has spaces", tier: "fast", inputPerMillionMicros: 1, outputPerMillionMicros: 1 })).rejects.toThrow(/not a model id/);
    await expect(addModel(sql, { id: modelId(), tier: "turbo", inputPerMillionMicros: 1, outputPerMillionMicros: 1 })).rejects.toThrow(/not a tier/);
    const rows = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM ai_models WHERE id = $1`, [model]);
    expect(rows[0].n).toBe(1);
  });

  it.skipIf(!onServer)("is managed with npm run models: add, price, retire and list", async () => {
    const run = (...args: string[]) => promisify(execFile)("npx", ["tsx", "scripts/models.ts", ...args], { env: process.env });
    const model = modelId();
    expect((await run("add", model, "--tier", "fast", "--input", "0.40", "--output", "1.60")).stdout).toContain(`Added ${model} (fast)`);
    expect((await run("price", model, "--input", "0.50", "--output", "2.00")).stdout).toMatch(/Priced .* at \$0\.50\/M in, \$2\.00\/M out from /);
    await expect(run("price", model, "--input", "0.5", "--output", "2", "--at", new Date().toISOString())).rejects.toMatchObject({ stderr: expect.stringContaining("at least 60 s") });
    const listed = (await run("list")).stdout.split("\n").filter((line) => line.startsWith(model));
    expect(listed).toHaveLength(2);
    forgetModelCatalog();
    const { sql } = await testStore();
    const rows = await sql.query<{ input: string }>(`SELECT input_per_million_micros::text AS input FROM ai_models WHERE id = $1 ORDER BY effective_from`, [model]);
    expect(rows.map((r) => r.input)).toEqual(["400000", "500000"]);
  }, 60_000);
});
