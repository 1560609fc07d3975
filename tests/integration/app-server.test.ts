import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { request as httpRequest, type ClientRequest } from "node:http";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENDPOINTS, storeReadiness } from "@/app/api/endpoints";
import { openStore } from "@/lib/db/open";
import { createAppServer } from "@/lib/http/app-server";
import { parseTrustedProxies } from "@/lib/http/client-address";
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

/** A POST over node:http, to set what fetch will not: the local address, a chunked or false length. `send` writes the body and ends it, or not. */
function rawRequest(path: string, headers: Record<string, string>, send: (req: ClientRequest) => void, localAddress = "127.0.0.1", port?: number) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const target = port ? `http://127.0.0.1:${port}${path}` : `${base}${path}`;
    const req = httpRequest(target, { method: "POST", headers, localAddress }, (res) => {
      let body = "";
      res.on("data", (chunk) => (body += chunk));
      res.on("end", () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    // A server that refuses mid-body may reset the connection after its answer: the answer is what counts.
    req.on("error", (error) => (req.writableEnded ? reject(error) : undefined));
    send(req);
  });
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

  it("hands pages, sign-in and webhooks to the fallback", async () => {
    for (const [method, path] of [["GET", "/settings/usage"], ["GET", "/api/auth/session"], ["POST", "/api/webhooks/stripe"]]) {
      const response = await fetch(`${base}${path}`, { method, body: method === "POST" ? "{}" : undefined });
      expect(response.status).toBe(418);
      expect(await response.json()).toEqual({ fallback: `${method} ${path}` });
    }
  });

  it("answers every spelling of an endpoint's path itself, and the rest of /api/v1 with 404 or 405", async () => {
    const { orgId } = await createOrg({ plan: "free" });
    const key = await createApiKey(orgId);
    const body = { metric: "emails_sent", quantity: 1 };
    for (const spelling of ["/api/v1/usage/./check", "//api/v1/usage/check", "/api/v1/usage/check/", "/api/v1/usage/%63heck", "/api/v1/ai/../usage/check"]) {
      const answer = await post(spelling, key, body);
      expect(answer.status, spelling).toBe(200);
      expect(answer.json).toMatchObject({ allowed: true, metric: "emails_sent" });
    }
    const unknown = await post("/api/v1/usage/nothing-here", key, body);
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.code).toBe("not_found");
    const wrongMethod = await fetch(`${base}/api/v1/usage/consume`);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get("allow")).toBe("POST");
    expect(((await wrongMethod.json()) as { error: { code: string } }).error.code).toBe("method_not_allowed");
  });

  it("hands the fallback no body without a length, and none over 1 MiB, reading neither", async () => {
    const chunked = await rawRequest("/api/webhooks/stripe", { "transfer-encoding": "chunked" }, (req) => req.end("{}"));
    expect(chunked.status).toBe(411);
    expect(JSON.parse(chunked.body).error.code).toBe("length_required");
    const declared = await rawRequest("/api/webhooks/stripe", { "content-length": String(2 * 1024 * 1024) }, (req) => req.write("{"));
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.body).error.code).toBe("payload_too_large");
  });

  it("stops reading an endless body at the endpoint's limit and closes the connection", async () => {
    const { orgId } = await createOrg();
    const key = await createApiKey(orgId);
    const read: number[] = [];
    const onConnection = (socket: import("node:net").Socket) => socket.once("close", () => read.push(socket.bytesRead));
    server.on("connection", onConnection);
    try {
      const chunk = Buffer.alloc(64 * 1024, "x");
      let written = 0;
      const answer = await rawRequest("/api/v1/usage/consume", { authorization: `Bearer ${key}`, "transfer-encoding": "chunked" }, (req) => {
        // Keeps sending for as long as the server takes it: 64 MiB at most, far past the 64 KiB limit.
        const pump = () => {
          while (written < 64 * 1024 * 1024 && !req.destroyed) {
            written += chunk.length;
            if (!req.write(chunk)) return void req.once("drain", pump);
          }
        };
        pump();
      });
      expect(answer.status).toBe(413);
      await new Promise((resolve) => setTimeout(resolve, 2_500)); // the grace period, then the server cuts the connection
      expect(read).toHaveLength(1);
      // What the server read: the 64 KiB limit plus what sat in the socket's buffers when it stopped.
      expect(read[0]).toBeLessThan(8 * 1024 * 1024);
      console.log(`[app-server] endless body: server read ${read[0]} bytes before closing`);
    } finally {
      server.off("connection", onConnection);
    }
  });

  it("takes the client's address from the socket: 30 bad keys from one address never refuse a good key from another", async () => {
    const { orgId } = await createOrg();
    const key = await createApiKey(orgId);
    const body = { metric: "api_calls", quantity: 1, idempotencyKey: "" };
    const from = (localAddress: string, apiKey: string, headers: Record<string, string> = {}) =>
      rawRequest("/api/v1/usage/consume", { authorization: `Bearer ${apiKey}`, "content-type": "application/json", ...headers }, (req) =>
        req.end(JSON.stringify({ ...body, idempotencyKey: randomUUID() })), localAddress);
    for (let i = 0; i < 30; i++) {
      // Each guess claims to come from somewhere else: the header is not believed from an untrusted peer.
      expect((await from("127.0.0.2", `ll_live_guess_${i}`, { "x-forwarded-for": `203.0.113.${i}` })).status).toBe(401);
    }
    const limited = await from("127.0.0.2", "ll_live_guess_more", { "x-forwarded-for": "203.0.113.99" });
    expect(limited.status).toBe(429);
    expect(JSON.parse(limited.body).error.code).toBe("rate_limited");
    expect((await from("127.0.0.2", key)).status).toBe(429);
    expect((await from("127.0.0.3", key)).status).toBe(200);
    // Nor can a client put another address's name on its own failures.
    expect((await from("127.0.0.3", key, { "x-forwarded-for": "127.0.0.2" })).status).toBe(200);
  });

  it("believes X-Forwarded-For from a proxy in TRUSTED_PROXIES", async () => {
    const { orgId } = await createOrg();
    const key = await createApiKey(orgId);
    const behindProxy = createAppServer(ENDPOINTS, () => {}, { trustedProxies: parseTrustedProxies("127.0.0.5") });
    await new Promise<void>((resolve) => behindProxy.listen(0, "127.0.0.1", resolve));
    const port = (behindProxy.address() as AddressInfo).port;
    const via = (client: string, apiKey: string) =>
      rawRequest("/api/v1/usage/consume", { authorization: `Bearer ${apiKey}`, "content-type": "application/json", "x-forwarded-for": client }, (req) =>
        req.end(JSON.stringify({ metric: "api_calls", quantity: 1, idempotencyKey: randomUUID() })), "127.0.0.5", port);
    try {
      for (let i = 0; i < 30; i++) expect((await via("198.51.100.20", `ll_live_guess_${i}`)).status).toBe(401);
      expect((await via("198.51.100.20", key)).status).toBe(429);
      // The same proxy, another client behind it.
      expect((await via("198.51.100.21", key)).status).toBe(200);
    } finally {
      await new Promise<void>((resolve) => behindProxy.close(() => resolve()));
    }
  });

  it("answers health with constant JSON, and readiness once the store answers", async () => {
    const response = await fetch(`${base}/api/health`);
    expect(await response.json()).toEqual({ ok: true, service: "ledgerline" });
    await testStore();
    const ready = await fetch(`${base}/api/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true });
  });

  it("answers readiness 503 store_unavailable with Retry-After when the store refuses connections, and after about 2 s when it never answers", async () => {
    // A port nothing listens on (refused at once), and a listener that accepts and never says a word (a stalled store).
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const silentSockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => silentSockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const storeAt = (port: number) => openStore({ kind: "server", url: `postgresql://postgres@127.0.0.1:${port}/ledgerline` });
    const [refusing, stalled] = [storeAt(closedPort), storeAt((silent.address() as AddressInfo).port)];
    const probes = createAppServer({ "GET /refusing": storeReadiness(() => refusing.sql), "GET /stalled": storeReadiness(() => stalled.sql) }, () => {});
    await new Promise<void>((resolve) => probes.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(probes.address() as AddressInfo).port}`;
    try {
      for (const path of ["/refusing", "/stalled"]) {
        const startedAt = Date.now();
        const response = await fetch(`${url}${path}`);
        const elapsed = Date.now() - startedAt;
        expect(response.status).toBe(503);
        expect(response.headers.get("retry-after")).toBe("2");
        expect(((await response.json()) as { error: { code: string } }).error.code).toBe("store_unavailable");
        // Refused at once; a silent store is given 2 s, not the pool's 5 s connection timeout.
        if (path === "/stalled") expect(elapsed).toBeGreaterThanOrEqual(1_900);
        expect(elapsed).toBeLessThan(3_500);
      }
    } finally {
      for (const socket of silentSockets) socket.destroy();
      await new Promise<void>((resolve) => probes.close(() => resolve()));
      await new Promise<void>((resolve) => silent.close(() => resolve()));
      await Promise.all([refusing.close(), stalled.close()]);
    }
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
