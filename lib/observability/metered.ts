import type { ApiReply, Endpoint } from "@/lib/api/endpoint";
import { METRIC_IDS } from "@/lib/limits/metrics";
import { logger } from "./log";
import { metrics } from "./metrics";
import { REQUEST_ID_HEADER } from "./request-id";

/** The enforcement routes as the metrics and the log name them. */
export type MeteredRoute = "usage" | "check" | "consume" | "batch" | "ai_authorize" | "ai_settle" | "ai_release";

/** Refusals that are the API working as meant (a limit reached, AI paused), not errors. */
const DENIALS = new Set(["limit_exceeded", "user_allocation_exceeded", "ai_budget_exhausted", "ai_access_paused"]);
const KNOWN_METRICS = new Set<string>(METRIC_IDS);
const AI_ROUTES = new Set<MeteredRoute>(["ai_authorize", "ai_settle", "ai_release"]);

type Answer = { allowed?: boolean; metric?: string; status?: number; error?: { code?: string; metric?: string } };

function outcomeOf(status: number, answer: Answer): "admitted" | "denied" | "error" {
  if (status === 200) return answer.allowed === false ? "denied" : "admitted";
  return DENIALS.has(answer.error?.code ?? "") ? "denied" : "error";
}

function metricOf(route: MeteredRoute, answer: Answer): string {
  const metric = answer.metric ?? answer.error?.metric;
  if (metric && KNOWN_METRICS.has(metric)) return metric;
  return AI_ROUTES.has(route) ? "ai_budget" : "none";
}

function countDecisions(route: MeteredRoute, reply: ApiReply) {
  const { decisions } = metrics();
  const body = reply.body as Answer & { results?: Answer[] };
  if (route === "batch" && reply.status === 200 && body.results) {
    for (const result of body.results) decisions.inc({ route, metric: metricOf(route, result), outcome: outcomeOf(result.status ?? 500, result) });
    return;
  }
  decisions.inc({ route, metric: metricOf(route, body), outcome: outcomeOf(reply.status, body) });
}

/**
 * Counts an endpoint's decisions and times its answers for GET /metrics, and
 * logs each answer with its request id: failures (5xx) at warn, every other
 * answer at debug. Refusals are the metrics' to count: a line for each 429 of
 * a tenant at its cap, or each 401 of a client with a bad key, would let one
 * client fill the log.
 */
export function metered(route: MeteredRoute, endpoint: Endpoint): Endpoint {
  return async (request) => {
    const started = performance.now();
    const reply = await endpoint(request);
    const seconds = (performance.now() - started) / 1000;
    metrics().latency.observe({ route }, seconds);
    countDecisions(route, reply);
    const log = logger();
    const level = reply.status >= 500 ? "warn" : "debug";
    if (log.isLevelEnabled(level)) {
      const code = (reply.body as Answer).error?.code;
      log[level]({ requestId: request.headers.get(REQUEST_ID_HEADER), route, status: reply.status, code, ms: Math.round(seconds * 1000) }, "api answer");
    }
    return reply;
  };
}
