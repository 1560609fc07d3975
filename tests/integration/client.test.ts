import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENDPOINTS } from "@/app/api/endpoints";
import { createAppServer } from "@/lib/http/app-server";
import {
  createLedgerline,
  LedgerlineLimitError,
  LedgerlinePausedError,
  LedgerlineUnavailableError,
  type UsageDecision,
} from "@/packages/client/src/index";
import { createApiKey } from "../support/api";
import { createOrg, ledgerMismatches, testStore } from "../support/store";

/**
 * The client library against the enforcement server (the production server's
 * API half: createAppServer with the endpoint table) on the real Postgres, with
 * a loopback proxy in front that can lose an answer, answer 503 or never answer,
 * and counts what reached it.
 */
const app = createAppServer(ENDPOINTS, (_request, response) => response.writeHead(404).end());
let appBase = "";

type Fault = "lose-answer" | "unavailable" | "hang";
let faults: Fault[] = [];
const seen: { path: string; body: string }[] = [];

async function readBody(request: IncomingMessage) {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}

const proxy: Server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
  const body = await readBody(request);
  seen.push({ path: request.url ?? "", body });
  const fault = faults.shift();
  if (fault === "hang") return;
  if (fault === "unavailable") {
    response.writeHead(503, { "content-type": "application/json", "retry-after": "0" });
    return void response.end(JSON.stringify({ error: { code: "store_unavailable", message: "The usage store is unavailable; nothing was recorded. Retry shortly." } }));
  }
  const answer = await fetch(`${appBase}${request.url}`, { method: request.method, headers: request.headers as Record<string, string>, body: body || undefined });
  const text = await answer.text();
  // The request was served and recorded; the client never hears back.
  if (fault === "lose-answer") return void response.socket?.destroy();
  response.writeHead(answer.status, Object.fromEntries(answer.headers));
  response.end(text);
});
let proxyBase = "";

beforeAll(async () => {
  await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
  appBase = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  proxyBase = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});
afterAll(async () => {
  proxy.closeAllConnections();
  await new Promise<void>((resolve) => proxy.close(() => resolve()));
  await new Promise<void>((resolve) => app.close(() => resolve()));
});

async function setup(options: Parameters<typeof createOrg>[0] = { plan: "pro", members: [{}] }) {
  const org = await createOrg(options);
  const apiKey = await createApiKey(org.orgId);
  faults = [];
  seen.length = 0;
  return { ...org, client: createLedgerline({ baseUrl: proxyBase, apiKey, timeoutMs: 2_000 }), apiKey };
}

async function ledgerRows(orgId: string) {
  const { sql } = await testStore();
  return sql.query<{ idempotency_key: string; quantity: string }>(`SELECT idempotency_key, quantity::text FROM usage_ledger WHERE org_id = $1`, [orgId]);
}

/** Every counter equals its ledger's sum, and no hold is left open. */
async function expectExact(orgId: string) {
  expect(await ledgerMismatches(orgId)).toEqual([]);
  const { sql } = await testStore();
  const [held] = await sql.query<{ held: string }>(`SELECT coalesce(sum(held), 0)::text AS held FROM usage_counters WHERE org_id = $1`, [orgId]);
  expect(held.held).toBe("0");
}

describe("the client's consume", () => {
  it("makes one idempotency key and keeps it across its retries: a lost answer is recorded once", async () => {
    const { orgId, client } = await setup();
    faults = ["lose-answer"];
    const decision = (await client.consume({ metric: "enrichments", quantity: 3 })) as UsageDecision;
    expect(decision).toMatchObject({ allowed: true, used: 3 });
    expect(seen).toHaveLength(2);
    const keys = seen.map((request) => JSON.parse(request.body).idempotencyKey as string);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toBe(keys[0]);
    expect(await ledgerRows(orgId)).toEqual([{ idempotency_key: keys[0], quantity: "3" }]);
    await expectExact(orgId);
  });

  it("retries a 503 and never a 429, which is a typed limit error with Retry-After", async () => {
    const { orgId, client } = await setup({ plan: "free" });
    faults = ["unavailable"];
    expect(await client.consume({ metric: "enrichments", quantity: 1, idempotencyKey: "first" })).toMatchObject({ allowed: true });
    expect(seen.map((request) => request.path)).toEqual(["/api/v1/usage/consume", "/api/v1/usage/consume"]);

    seen.length = 0;
    const refused = await client.consume({ metric: "enrichments", quantity: 1e9 }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(LedgerlineLimitError);
    expect(refused).toMatchObject({ status: 429, code: "limit_exceeded", details: { metric: "enrichments" } });
    expect((refused as LedgerlineLimitError).retryAfterSeconds).toBeGreaterThan(0);
    expect(seen).toHaveLength(1);
    expect(await ledgerRows(orgId)).toHaveLength(1);
  });

  it("times out, fails closed by default, and fails open recording nothing only when asked", async () => {
    const { orgId, apiKey } = await setup();
    const quick = createLedgerline({ baseUrl: proxyBase, apiKey, timeoutMs: 200, retries: 1 });
    faults = ["hang", "hang"];
    const closed = await quick.consume({ metric: "enrichments", quantity: 1 }).catch((error: unknown) => error);
    expect(closed).toBeInstanceOf(LedgerlineUnavailableError);
    expect(closed).toMatchObject({ code: "unreachable" });
    expect(seen).toHaveLength(2);

    const open = createLedgerline({ baseUrl: proxyBase, apiKey, timeoutMs: 200, retries: 0, failOpen: true });
    faults = ["hang"];
    expect(await open.consume({ metric: "enrichments", quantity: 1 })).toEqual({ allowed: true, failedOpen: true, metric: "enrichments" });
    expect(await ledgerRows(orgId)).toEqual([]);
  });
});

describe("withAiBudget", () => {
  const call = { feature: "email" as const, model: "gpt-4.1-mini" as const, inputTokens: 1_000, maxOutputTokens: 500 };

  it("settles with the tokens the call reports", async () => {
    const { orgId, members, client } = await setup();
    const { result, settlement } = await client.withAiBudget({ ...call, userId: members[0] }, async (hold) => {
      expect(hold.holdMicros).toBeGreaterThan(0);
      return { result: "drafted", outputTokens: 200 };
    });
    expect(result).toBe("drafted");
    // gpt-4.1-mini: $0.40 in and $1.60 out per million tokens.
    expect(settlement).toMatchObject({ status: "settled", tier: "fast", inputTokens: 1_000, outputTokens: 200, costMicros: 400 + 320 });
    const snapshot = await client.usage();
    expect(snapshot.ai).toMatchObject({ usedMicros: 720, heldMicros: 0 });
    // The export's rows of the same cycle add up to the snapshot, in JSON through the client.
    const byMetric = await client.exportUsage({ groupBy: "metric" });
    expect(byMetric.find((row) => row.metric === "ai_budget")).toMatchObject({ quantity: 720, amount_usd: "0.000720" });
    expect(seen.at(-1)?.path).toBe("/api/v1/usage/export?groupBy=metric&format=json");
    await expectExact(orgId);
  });

  it("releases the hold when the call throws, and rethrows its error", async () => {
    const { orgId, members, client } = await setup();
    const failure = new Error("the model timed out");
    await expect(client.withAiBudget({ ...call, userId: members[0] }, async () => Promise.reject(failure))).rejects.toBe(failure);
    expect(seen.map((request) => request.path)).toEqual(["/api/v1/ai/authorize", "/api/v1/ai/release"]);
    const { sql } = await testStore();
    expect(await sql.query(`SELECT status FROM ai_authorizations WHERE org_id = $1`, [orgId])).toEqual([{ status: "released" }]);
    expect((await client.usage()).ai).toMatchObject({ usedMicros: 0, heldMicros: 0 });
    await expectExact(orgId);
  });

  it("answers a spent allocation as a 429 and a paused org as a 402, typed, before the call runs", async () => {
    const spent = await setup({ plan: "pro", members: [{ aiAllocationMicros: 10 }] });
    let ran = false;
    const refused = await spent.client.withAiBudget({ ...call, userId: spent.members[0] }, async () => {
      ran = true;
      return { result: null, outputTokens: 0 };
    }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(LedgerlineLimitError);
    expect(refused).toMatchObject({ status: 429, code: "user_allocation_exceeded" });

    const paused = await setup({ plan: "pro", aiPaused: true, members: [{}] });
    const stopped = await paused.client.withAiBudget({ ...call, userId: paused.members[0] }, async () => {
      ran = true;
      return { result: null, outputTokens: 0 };
    }).catch((error: unknown) => error);
    expect(stopped).toBeInstanceOf(LedgerlinePausedError);
    expect(stopped).toMatchObject({ status: 402, code: "ai_access_paused" });
    expect(ran).toBe(false);
  });
});
