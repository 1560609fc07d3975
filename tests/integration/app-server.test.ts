import type { AddressInfo } from "node:net";
import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENDPOINTS } from "@/app/api/endpoints";
import { createAppServer } from "@/lib/http/app-server";
import { createApiKey } from "../support/api";
import { createOrg, testStore } from "../support/store";

// The enforcement server over real HTTP, with a stand-in for Next's handler that names what it was asked.
const server = createAppServer(ENDPOINTS, (request, response) => {
  response.writeHead(418, { "content-type": "application/json" });
  response.end(JSON.stringify({ fallback: `${request.method} ${request.url}` }));
});
let base = "";

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function post(path: string, key: string | null, body: unknown) {
  const response = await fetch(`${base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, json: (await response.json()) as Record<string, any> };
}

async function ledgerCount(orgId: string) {
  const [row] = await (await testStore()).sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM usage_ledger WHERE org_id = $1`, [orgId]);
  return row.n;
}

describe("enforcement server", () => {
  it("answers the enforcement endpoints itself, with the API's bodies and the security headers", async () => {
    const { orgId } = await createOrg({ plan: "free" });
    const key = await createApiKey(orgId);
    const ok = await post("/api/v1/usage/consume", key, { metric: "emails_sent", quantity: 12, idempotencyKey: "a" });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ allowed: true, metric: "emails_sent", used: 12, limit: 500, remaining: 488, capKind: "hard" });
    expect(ok.headers.get("x-content-type-options")).toBe("nosniff");
    expect(ok.headers.get("content-type")).toBe("application/json");

    const denied = await post("/api/v1/usage/consume?source=crm", key, { metric: "emails_sent", quantity: 489, idempotencyKey: "b" });
    expect(denied.status).toBe(429);
    expect(denied.json.error).toMatchObject({ code: "limit_exceeded", used: 12, limit: 500 });
    expect(Number(denied.headers.get("retry-after"))).toBeGreaterThan(0);

    const snapshot = await fetch(`${base}/api/v1/usage`, { headers: { authorization: `Bearer ${key}` } });
    expect(snapshot.status).toBe(200);
    expect(await ledgerCount(orgId)).toBe(1);
  });

  it("answers 401 without a valid key and 400 for a body that is not JSON, recording nothing", async () => {
    const { orgId } = await createOrg();
    const key = await createApiKey(orgId);
    expect((await post("/api/v1/usage/consume", null, { metric: "emails_sent", quantity: 1, idempotencyKey: "x" })).json.error.code).toBe("unauthorized");
    const bad = await post("/api/v1/usage/consume", key, "{not json");
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe("invalid_request");
    expect(await ledgerCount(orgId)).toBe(0);
  });

  it("refuses an oversized body with 413, whether declared or streamed without a length", async () => {
    const { orgId } = await createOrg();
    const key = await createApiKey(orgId);
    const huge = JSON.stringify({ metric: "emails_sent", quantity: 1, idempotencyKey: "x".repeat(70_000) });
    const declared = await post("/api/v1/usage/consume", key, huge);
    expect(declared.status).toBe(413);
    expect(declared.json.error.code).toBe("payload_too_large");

    // Chunked, so the server only learns the size while reading.
    const streamed = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(`${base}/api/v1/usage/consume`, { method: "POST", headers: { authorization: `Bearer ${key}`, "transfer-encoding": "chunked" } }, (res) => {
        let body = "";
        res.on("data", (chunk) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on("error", reject);
      for (let i = 0; i < 10; i++) req.write(huge.slice(i * 7_000, (i + 1) * 7_000));
      req.end();
    });
    expect(streamed.status).toBe(413);
    expect(JSON.parse(streamed.body).error.code).toBe("payload_too_large");
    expect(await ledgerCount(orgId)).toBe(0);
  });

  it("hands everything else to the fallback: pages, other methods, trailing slashes", async () => {
    for (const [method, path] of [["GET", "/settings/usage"], ["GET", "/api/v1/usage/consume"], ["POST", "/api/v1/usage/consume/"], ["POST", "/api/webhooks/stripe"]]) {
      const response = await fetch(`${base}${path}`, { method, body: method === "POST" ? "{}" : undefined });
      expect(response.status).toBe(418);
      expect(await response.json()).toEqual({ fallback: `${method} ${path}` });
    }
  });

  it("answers health with constant JSON", async () => {
    const response = await fetch(`${base}/api/health`);
    expect(await response.json()).toEqual({ ok: true, service: "ledgerline" });
  });

  it("answers 500 in the API's shape when an endpoint throws or its body cannot be JSON, and keeps serving", async () => {
    const faulty = createAppServer(
      {
        "GET /throws": async () => {
          throw new Error("a bug");
        },
        "GET /bigint": async () => ({ status: 200, body: { used: 1n } }),
      },
      () => {},
    );
    await new Promise<void>((resolve) => faulty.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(faulty.address() as AddressInfo).port}`;
    try {
      for (const path of ["/throws", "/bigint", "/throws"]) {
        const response = await fetch(url + path);
        expect(response.status).toBe(500);
        expect(((await response.json()) as { error: { code: string } }).error.code).toBe("internal_error");
      }
    } finally {
      await new Promise<void>((resolve) => faulty.close(() => resolve()));
    }
  });
});
