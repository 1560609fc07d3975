import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ENDPOINTS } from "@/app/api/endpoints";
import { createAppServer } from "@/lib/http/app-server";
import { createLogger } from "@/lib/observability/log";
import { createApiKey } from "../support/api";
import { createOrg, onServer } from "../support/store";

// GET /metrics, X-Request-Id and the log, through the enforcement server over real HTTP on the real store.
const server = createAppServer(ENDPOINTS, (_request, response) => response.writeHead(404).end());
let base = "";
const TOKEN = "metrics-test-token";

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
afterEach(() => {
  delete process.env.METRICS_TOKEN;
});

const scrape = (token?: string) => fetch(`${base}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

/** A sample's value in Prometheus' text format (0 when absent). */
function sample(text: string, name: string, labels: Record<string, string>): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split("\n")) {
    const match = /^([a-z_]+)\{([^}]*)\} (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = match[2].split(",");
    if (wanted.every((label) => have.includes(label))) return Number(match[3]);
  }
  return 0;
}

const consume = (key: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}/api/v1/usage/consume`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}`, ...headers },
    body: JSON.stringify(body),
  });

describe("GET /metrics", () => {
  it("does not exist while METRICS_TOKEN is unset", async () => {
    expect((await scrape()).status).toBe(404);
    expect((await scrape("anything")).status).toBe(404);
  });

  it("refuses a missing or wrong token", async () => {
    process.env.METRICS_TOKEN = TOKEN;
    const missing = await scrape();
    expect(missing.status).toBe(401);
    expect(missing.headers.get("www-authenticate")).toBe("Bearer");
    expect((await scrape("not-the-token")).status).toBe(401);
  });

  it("counts the decisions this test made, by route, metric and outcome, with latency and batch sizes", async () => {
    process.env.METRICS_TOKEN = TOKEN;
    const { orgId } = await createOrg({ plan: "free" });
    const key = await createApiKey(orgId);
    const before = await (await scrape(TOKEN)).text();

    for (const n of [1, 2, 3]) expect((await consume(key, { metric: "enrichments", quantity: 1, idempotencyKey: `m${n}` })).status).toBe(200);
    expect((await consume(key, { metric: "enrichments", quantity: 1e9, idempotencyKey: "m4" })).status).toBe(429);
    expect((await consume(key, { metric: "enrichments", quantity: -1, idempotencyKey: "m5" })).status).toBe(400);

    const response = await scrape(TOKEN);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/plain");
    const after = await response.text();
    const delta = (labels: Record<string, string>) =>
      sample(after, "ledgerline_decisions_total", labels) - sample(before, "ledgerline_decisions_total", labels);
    expect(delta({ route: "consume", metric: "enrichments", outcome: "admitted" })).toBe(3);
    expect(delta({ route: "consume", metric: "enrichments", outcome: "denied" })).toBe(1);
    expect(delta({ route: "consume", metric: "none", outcome: "error" }) + delta({ route: "consume", metric: "enrichments", outcome: "error" })).toBe(1);
    const timed = (text: string) => sample(text, "ledgerline_request_duration_seconds_count", { route: "consume" });
    expect(timed(after) - timed(before)).toBe(5);
    expect(sample(after, "ledgerline_coalesced_batch_size_count", { kind: "consume" })).toBeGreaterThan(0);
    // The embedded store has no pool: the gauge is declared and left empty.
    expect(after).toMatch(onServer ? /^ledgerline_db_pool_connections\{state="in_use"\} \d+$/m : /^# TYPE ledgerline_db_pool_connections gauge$/m);
    expect(after).toContain("# TYPE ledgerline_stripe_webhooks_total counter");
    expect(after).toContain("# TYPE ledgerline_alert_deliveries_total counter");
    expect(after).not.toContain(orgId);
  });
});

describe("X-Request-Id and the log", () => {
  it("names every answer's request, keeping a sane id from the caller and replacing any other", async () => {
    const { orgId } = await createOrg({ plan: "free" });
    const key = await createApiKey(orgId);
    const fresh = await consume(key, { metric: "enrichments", quantity: 1, idempotencyKey: "r1" });
    expect(fresh.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const kept = await consume(key, { metric: "enrichments", quantity: 1, idempotencyKey: "r2" }, { "x-request-id": "crm-7f3a.42" });
    expect(kept.headers.get("x-request-id")).toBe("crm-7f3a.42");
    const replaced = await consume(key, { metric: "enrichments", quantity: 1, idempotencyKey: "r3" }, { "x-request-id": "x".repeat(300) });
    expect(replaced.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect((await fetch(`${base}/api/v1/nowhere`)).headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("logs answers as JSON with their request id, and never an API key", async () => {
    const lines: string[] = [];
    const registry = (globalThis as { ledgerlineSingletons?: Map<string, unknown> }).ledgerlineSingletons!;
    const previous = registry.get("logger");
    registry.set("logger", createLogger("debug", new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) })));
    try {
      const { orgId } = await createOrg({ plan: "free" });
      const key = await createApiKey(orgId);
      await consume(key, { metric: "enrichments", quantity: 1, idempotencyKey: "l1" }, { "x-request-id": "log-test-1" });
      await consume(key, { metric: "enrichments", quantity: 1e9, idempotencyKey: "l2" }, { "x-request-id": "log-test-2" });
      await consume(`${key}x`, { metric: "enrichments", quantity: 1, idempotencyKey: "l3" }, { "x-request-id": "log-test-3" });
      const careless = createLogger("info", new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) }));
      careless.info({ authorization: `Bearer ${key}`, request: { apiKey: key } }, "a careless caller");
      // A driver's error carries its connection settings: only what the error says is logged.
      careless.warn({ err: Object.assign(new Error("connection lost"), { code: "57P01", client: { password: "db-password" } }) }, "lost");
    } finally {
      registry.set("logger", previous);
    }
    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records.find((r) => r.requestId === "log-test-1")).toMatchObject({ route: "consume", status: 200, level: 20 });
    expect(records.find((r) => r.requestId === "log-test-2")).toMatchObject({ route: "consume", status: 429, code: "limit_exceeded", level: 20 });
    expect(records.find((r) => r.requestId === "log-test-3")).toMatchObject({ status: 401, code: "unauthorized" });
    expect(records.find((r) => r.msg === "a careless caller")).toMatchObject({ authorization: "[redacted]", request: { apiKey: "[redacted]" } });
    expect(records.find((r) => r.msg === "lost")?.err).toMatchObject({ message: "connection lost", code: "57P01" });
    expect(lines.join("")).not.toMatch(/ll_test_|db-password/);
  });
});
