import type { ApiReply, Endpoint } from "@/lib/api/endpoint";
import { ApiError } from "@/lib/api/errors";
import { openApiDocument } from "@/lib/api/openapi";
import { errorReply } from "@/lib/api/respond";
import { aiAuthorizeBody, aiReleaseBody, aiSettleBody, usageBatchBody, usageCheckBody, usageConsumeBody } from "@/lib/api/schemas";
import { withApiKey } from "@/lib/api/with-api-key";
import { store } from "@/lib/db";
import type { SqlExecutor } from "@/lib/db/sql-executor";
import { authorizeAi, releaseAi, settleAi } from "@/lib/metering/ai-holds";
import { usageExport as exportUsage } from "@/lib/export/usage-export";
import { checkUsage, consumeBatch, consumeUsage } from "@/lib/metering/consume";
import { getUsageSnapshot } from "@/lib/metering/snapshot";
import { metered } from "@/lib/observability/metered";
import { metricsEndpoint } from "@/lib/observability/metrics-endpoint";

/**
 * The enforcement API, defined once. The route files under app/api adapt each
 * endpoint to Next's router; in production the enforcement server
 * (server.ts) answers the same endpoints before Next's router is involved,
 * because they are called before and after every AI call and data operation
 * of the CRM and Next's per-request cost would dominate theirs.
 */

/** Liveness: constant JSON, no store access. Also the benchmark's framework floor. */
export const health: Endpoint = async () => ({ status: 200, body: { ok: true, service: "ledgerline" } });

/** How long readiness waits for the store: a load balancer's check should fail fast, not hang. */
const READINESS_TIMEOUT_MS = 2_000;

/**
 * Readiness, for a load balancer: 200 while the store answers a trivial query
 * within 2 s, else 503 store_unavailable. Liveness (health) stays constant so
 * that a supervisor never restarts a healthy process because the database is down.
 */
export function storeReadiness(sql: () => SqlExecutor): Endpoint {
  return async () => {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        sql().query("SELECT 1"),
        new Promise((_, reject) => (timer = setTimeout(() => reject(new Error("readiness timed out")), READINESS_TIMEOUT_MS))),
      ]);
      return { status: 200, body: { ready: true } };
    } catch {
      return errorReply(new ApiError("store_unavailable", "The usage store does not answer; this instance is not ready.", {}, 2));
    } finally {
      clearTimeout(timer);
    }
  };
}

export const readiness = storeReadiness(() => store().sql);

/** Prometheus metrics for a scraper with METRICS_TOKEN; 404 while it is unset. */
export const prometheusMetrics = metricsEndpoint();

/** The API described as OpenAPI 3.1, from the schemas the routes parse with; rendered at /api/docs. */
export const openApi: Endpoint = async () => ({ status: 200, body: openApiDocument() });

export const usageSnapshot = metered("usage", withApiKey(null, ({ db, orgId }) => getUsageSnapshot(db, orgId)));

/**
 * The org's usage as a CSV or JSON download, streamed (lib/export). An API key
 * is org-wide: every member's rows, with dollars. The key is checked first,
 * so a bad query from a client without a valid key is a 401, not a 400.
 */
export const usageExport: Endpoint = async (request) => {
  // withApiKey answers its handler's result as a JSON body; this handler's result is a whole reply (its own media type, a streamed body).
  const reply = await withApiKey(null, ({ sql, orgId }) => exportUsage(sql, { orgId, reader: { kind: "apiKey" }, query: request.query }))(request);
  return reply.status === 200 ? (reply.body as ApiReply) : reply;
};

export const usageCheck = metered("check", withApiKey(usageCheckBody, ({ sql, orgId, body }) => checkUsage(sql, { ...body, orgId })));

export const usageConsume = metered(
  "consume",
  withApiKey(
    usageConsumeBody,
    ({ sql, orgId, apiKeyHash, body }) => consumeUsage(sql, { ...body, orgId }, { apiKeyHash }),
    { keyCheckedByStore: true },
  ),
);

/** Up to 1,000 events per request, each all or nothing with its own answer. */
export const usageBatch = metered(
  "batch",
  withApiKey(
    usageBatchBody,
    async ({ sql, orgId, apiKeyHash, body }) => {
      const outcomes = await consumeBatch(sql, orgId, body.events, { apiKeyHash });
      const results = outcomes.map((o) => (o.ok ? { status: 200, ...o.decision } : { status: o.error.status, ...o.error.toJSON() }));
      return { admitted: outcomes.filter((o) => o.ok).length, denied: outcomes.filter((o) => !o.ok).length, results };
    },
    { keyCheckedByStore: true, maxBodyBytes: 1024 * 1024 },
  ),
);

export const aiAuthorize = metered(
  "ai_authorize",
  withApiKey(
    aiAuthorizeBody,
    ({ sql, orgId, apiKeyHash, body }) => authorizeAi(sql, { ...body, orgId }, undefined, apiKeyHash),
    { keyCheckedByStore: true },
  ),
);

export const aiSettle = metered(
  "ai_settle",
  withApiKey(
    aiSettleBody,
    ({ sql, orgId, apiKeyHash, body }) => settleAi(sql, { ...body, orgId }, apiKeyHash),
    { keyCheckedByStore: true },
  ),
);

export const aiRelease = metered(
  "ai_release",
  withApiKey(
    aiReleaseBody,
    ({ sql, orgId, apiKeyHash, body }) => releaseAi(sql, orgId, body.authorizationId, apiKeyHash),
    { keyCheckedByStore: true },
  ),
);

/** Method and path of every endpoint above, as the enforcement server routes them. */
export const ENDPOINTS: Record<string, Endpoint> = {
  "GET /api/health": health,
  "GET /api/ready": readiness,
  "GET /api/v1/openapi.json": openApi,
  "GET /metrics": prometheusMetrics,
  "GET /api/v1/usage": usageSnapshot,
  "GET /api/v1/usage/export": usageExport,
  "POST /api/v1/usage/check": usageCheck,
  "POST /api/v1/usage/consume": usageConsume,
  "POST /api/v1/usage/batch": usageBatch,
  "POST /api/v1/ai/authorize": aiAuthorize,
  "POST /api/v1/ai/settle": aiSettle,
  "POST /api/v1/ai/release": aiRelease,
};
