import type { AddressInfo } from "node:net";
import { Validator } from "@seriousme/openapi-schema-validator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as referencePage } from "@/app/api/docs/route";
import { GET as referenceScript } from "@/app/api/docs/reference.js/route";
import { ENDPOINTS } from "@/app/api/endpoints";
import { CONTRACT } from "@/lib/api/contract";
import { ERROR_STATUS, type ErrorCode } from "@/lib/api/error-codes";
import { createAppServer } from "@/lib/http/app-server";
import { createApiKey } from "../support/api";
import { createOrg } from "../support/store";

type Operation = { responses: Record<string, { content?: Record<string, { schema: Schema }>; headers?: Record<string, unknown> }> };
type Schema = { properties?: Record<string, Schema>; enum?: string[] };
type Document = { openapi: string; paths: Record<string, Record<string, Operation>>; components: { securitySchemes: Record<string, unknown> } };

// Codes the enforcement API never answers: the Stripe webhook's and the admin pages'.
const NOT_API_CODES: ErrorCode[] = ["invalid_signature", "webhook_not_configured", "already_exists", "seat_limit_reached", "length_required", "method_not_allowed"];

const server = createAppServer(ENDPOINTS, (_request, response) => response.writeHead(404).end());
let base = "";
let document: Document;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  document = (await (await fetch(`${base}/api/v1/openapi.json`)).json()) as Document;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Calls a route over HTTP and checks the answer against the document: its status is documented, its body is what the route's schemas say. */
async function answerOf(route: keyof typeof CONTRACT, key: string | null, body?: unknown) {
  const [method, path] = route.split(" ");
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const json = (await response.json()) as { error?: { code: string } };
  const documented = document.paths[path][method.toLowerCase()].responses[String(response.status)];
  expect(documented, `${route} answered ${response.status}, which its document does not list`).toBeDefined();
  if (response.status === 200) {
    CONTRACT[route].answer.parse(json);
  } else {
    expect(documented.content?.["application/json"].schema.properties?.error.properties?.code.enum).toContain(json.error?.code);
    if (response.status === 429 || response.status === 503) expect(documented.headers).toHaveProperty("Retry-After");
  }
  return { status: response.status, json: json as Record<string, any> };
}

describe("the OpenAPI document", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    const result = await new Validator().validate(structuredClone(document));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(document.openapi).toBe("3.1.0");
  });

  it("describes every route of the endpoint table, and no other", () => {
    const documented = Object.entries(document.paths).flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`));
    expect(documented.sort()).toEqual(Object.keys(ENDPOINTS).sort());
  });

  it("lists every error code the enforcement API can answer, under its status, with bearer auth on the key routes", () => {
    const codes = new Set<string>();
    for (const item of Object.values(document.paths)) {
      for (const op of Object.values(item)) {
        for (const [status, response] of Object.entries(op.responses)) {
          for (const code of response.content?.["application/json"]?.schema.properties?.error?.properties?.code.enum ?? []) {
            expect(ERROR_STATUS[code as ErrorCode]).toBe(Number(status));
            codes.add(code);
          }
        }
      }
    }
    const expected = (Object.keys(ERROR_STATUS) as ErrorCode[]).filter((code) => !NOT_API_CODES.includes(code));
    expect([...codes].sort()).toEqual(expected.sort());
    expect(document.components.securitySchemes.apiKey).toEqual(expect.objectContaining({ type: "http", scheme: "bearer" }));
    expect((document.paths["/api/v1/usage/consume"].post as unknown as { security: unknown }).security).toEqual([{ apiKey: [] }]);
  });
});

describe("real answers match the document", () => {
  it("for every route, success and refusal alike", async () => {
    const { orgId, members } = await createOrg({ plan: "pro", members: [{}] });
    const key = await createApiKey(orgId);
    const userId = members[0];

    await answerOf("GET /api/health", null);
    await answerOf("GET /api/ready", null);
    await answerOf("GET /api/v1/openapi.json", null);
    expect((await answerOf("GET /metrics", null)).status).toBe(404);
    await answerOf("GET /api/v1/usage", key);
    expect((await answerOf("GET /api/v1/usage", "ll_not_a_key")).status).toBe(401);

    await answerOf("POST /api/v1/usage/check", key, { metric: "contacts", quantity: 1 });
    const consumed = await answerOf("POST /api/v1/usage/consume", key, { metric: "enrichments", quantity: 1, idempotencyKey: "k1" });
    expect(consumed.status).toBe(200);
    expect((await answerOf("POST /api/v1/usage/consume", key, { metric: "enrichments", quantity: 2, idempotencyKey: "k1" })).status).toBe(409);
    expect((await answerOf("POST /api/v1/usage/consume", key, { metric: "enrichments", quantity: 1e9, idempotencyKey: "k2" })).status).toBe(429);
    expect((await answerOf("POST /api/v1/usage/consume", key, { metric: "enrichments", quantity: 1, idempotencyKey: "k3", userId: "nobody" })).status).toBe(403);
    expect((await answerOf("POST /api/v1/usage/consume", key, { metric: "nope", quantity: 1, idempotencyKey: "k4" })).status).toBe(400);
    expect((await answerOf("POST /api/v1/usage/consume", key, "{")).status).toBe(400);

    const exported = await fetch(`${base}/api/v1/usage/export?groupBy=member&format=json`, { headers: { authorization: `Bearer ${key}` } });
    const exportResponses = document.paths["/api/v1/usage/export"].get.responses;
    expect(exported.headers.get("content-type")).toBe("application/json");
    expect(CONTRACT["GET /api/v1/usage/export"].answer.parse(await exported.json())).toEqual([expect.objectContaining({ metric: "enrichments", quantity: 1 })]);
    expect(Object.keys(exportResponses["200"].content ?? {}).sort()).toEqual(["application/json", "text/csv; charset=utf-8"]);
    const csv = await fetch(`${base}/api/v1/usage/export`, { headers: { authorization: `Bearer ${key}` } });
    expect(exportResponses["200"].content).toHaveProperty([csv.headers.get("content-type")!]);
    expect((await csv.text()).split("\r\n")[0]).toBe("date,metric,unit,quantity,amount_usd");
    const badExport = await fetch(`${base}/api/v1/usage/export?groupBy=week`, { headers: { authorization: `Bearer ${key}` } });
    expect(exportResponses[String(badExport.status)].content?.["application/json"].schema.properties?.error.properties?.code.enum).toContain("invalid_request");

    const batch = await answerOf("POST /api/v1/usage/batch", key, {
      events: [{ metric: "enrichments", quantity: 1, idempotencyKey: "b1" }, { metric: "enrichments", quantity: 1e9, idempotencyKey: "b2" }],
    });
    expect(batch.json).toMatchObject({ admitted: 1, denied: 1 });

    const authorized = await answerOf("POST /api/v1/ai/authorize", key, { userId, feature: "email", model: "gpt-4.1-mini", inputTokens: 100, maxOutputTokens: 100 });
    expect(authorized.status).toBe(200);
    const { authorizationId } = authorized.json;
    expect((await answerOf("POST /api/v1/ai/settle", key, { authorizationId, inputTokens: 100, outputTokens: 50 })).status).toBe(200);
    expect((await answerOf("POST /api/v1/ai/settle", key, { authorizationId, inputTokens: 100, outputTokens: 60 })).status).toBe(409);
    expect((await answerOf("POST /api/v1/ai/release", key, { authorizationId: "missing" })).status).toBe(404);
    const second = await answerOf("POST /api/v1/ai/authorize", key, { userId, feature: "chat", model: "gpt-4.1-mini", inputTokens: 10, maxOutputTokens: 10 });
    expect((await answerOf("POST /api/v1/ai/release", key, { authorizationId: second.json.authorizationId })).json.status).toBe("released");
  });
});

describe("the API reference page", () => {
  it("is HTML that loads the renderer from this app and points it at the document", async () => {
    const page = referencePage();
    expect(page.headers.get("content-type")).toContain("text/html");
    const html = await page.text();
    expect(html).toContain('data-url="/api/v1/openapi.json"');
    expect(html).toContain('src="/api/docs/reference.js"');
    const script = referenceScript();
    expect(script.headers.get("content-type")).toContain("javascript");
    expect((await script.text()).length).toBeGreaterThan(100_000);
  });
});
