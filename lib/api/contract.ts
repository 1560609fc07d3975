import { z } from "zod";
import { aiAuthorization, aiRelease, aiSettlement, healthAnswer, readinessAnswer, usageBatchAnswer, usageDecision, usageExportAnswer, usageSnapshot } from "./answers";
import type { ErrorCode } from "./error-codes";
import { aiAuthorizeBody, aiReleaseBody, aiSettleBody, MAX_EXPORT_DAYS, usageBatchBody, usageCheckBody, usageConsumeBody, usageExportQuery } from "./schemas";

/**
 * What each endpoint of the table in app/api/endpoints.ts takes and answers,
 * for the OpenAPI document (lib/api/openapi.ts). The keys are the endpoint
 * table's own ("METHOD /path"); a test fails when the two differ.
 */
export interface RouteContract {
  /** The client library's method name for the route. */
  operationId: string;
  summary: string;
  description?: string;
  /** The bearer token the route takes: an org's API key, the deployment's METRICS_TOKEN, or none. */
  auth: "apiKey" | "metricsToken" | "none";
  body?: z.ZodType;
  /** The query string's parameters, for a GET that takes some. */
  query?: z.ZodObject;
  answer: z.ZodType;
  /** The answer's media type when it is not JSON. */
  answerType?: string;
  /** Further media types the route answers in (chosen by a query parameter), beside the answer's. */
  otherAnswers?: Record<string, z.ZodType>;
  /** The errors this route can answer, beside those every API-key route can. */
  errors: ErrorCode[];
}

/** What any route behind an API key can answer: a bad body or key, a body too large, an address sending bad keys, the store down. */
export const API_KEY_ERRORS: ErrorCode[] = ["invalid_request", "unauthorized", "payload_too_large", "rate_limited", "internal_error", "store_unavailable"];

export const CONTRACT = {
  "GET /api/health": {
    operationId: "health",
    summary: "Liveness",
    description: "Constant JSON without touching the store, so a supervisor never restarts a healthy process because the database is down.",
    auth: "none",
    answer: healthAnswer,
    errors: [],
  },
  "GET /api/ready": {
    operationId: "ready",
    summary: "Readiness",
    description: "200 while the store answers a trivial query within 2 s, else 503: for a load balancer.",
    auth: "none",
    answer: readinessAnswer,
    errors: ["store_unavailable"],
  },
  "GET /api/v1/openapi.json": {
    operationId: "openApiDocument",
    summary: "This document",
    auth: "none",
    answer: z.looseObject({ openapi: z.literal("3.1.0"), paths: z.record(z.string(), z.unknown()) }),
    errors: [],
  },
  "GET /metrics": {
    operationId: "metrics",
    summary: "Prometheus metrics",
    description:
      "Decisions by route, metric and outcome, latency histograms, coalesced batch sizes, the connection pool, webhook outcomes and alert deliveries, in Prometheus' text format. Needs the METRICS_TOKEN as a bearer token; while METRICS_TOKEN is unset the route answers 404.",
    auth: "metricsToken",
    answer: z.string(),
    answerType: "text/plain; version=0.0.4",
    errors: ["unauthorized", "not_found"],
  },
  "GET /api/v1/usage": {
    operationId: "usage",
    summary: "The org's usage snapshot",
    description: "Meters, the AI pool by feature and tier, credits, the billing period and every member's usage: what Settings > Usage shows.",
    auth: "apiKey",
    answer: usageSnapshot,
    errors: ["not_found"],
  },
  "GET /api/v1/usage/export": {
    operationId: "usageExport",
    summary: "Download the org's usage",
    description:
      `The ledger's usage over UTC days \`from\` to \`to\` (inclusive; by default the current billing cycle, from its anchor's instant), ` +
      `one row per (day, metric), metric, (member, metric) or (AI feature, metric). CSV (RFC 4180, with a header row) or a JSON array, ` +
      `streamed as it is read, as an attachment named ledgerline-usage-<from>-<to>.<format>. At most ${MAX_EXPORT_DAYS} days. ` +
      "An API key sees every member's rows and the AI budget's dollars (`amount_usd`, exact decimal dollars).",
    auth: "apiKey",
    query: usageExportQuery,
    answer: usageExportAnswer,
    otherAnswers: { "text/csv; charset=utf-8": z.string().meta({ description: "format=csv: a header row, then one record per row, CRLF-terminated." }) },
    errors: ["not_found"],
  },
  "POST /api/v1/usage/check": {
    operationId: "check",
    summary: "Would this usage be admitted?",
    description: "The same decision as consume, recorded nowhere: `allowed` says whether it would fit.",
    auth: "apiKey",
    body: usageCheckBody,
    answer: usageDecision,
    errors: ["forbidden", "not_found", "quantity_out_of_range"],
  },
  "POST /api/v1/usage/consume": {
    operationId: "consume",
    summary: "Record usage if it fits",
    description:
      "All or nothing: admitted and recorded, or refused with nothing recorded. Within the idempotency window (24 hours unless the deployment sets longer) the same idempotency key with the same body answers the first answer again, and with another body 409; after it, the key makes a new request. A refused request keeps no key.",
    auth: "apiKey",
    body: usageConsumeBody,
    answer: usageDecision,
    errors: ["forbidden", "not_found", "idempotency_conflict", "quantity_out_of_range", "limit_exceeded", "user_allocation_exceeded"],
  },
  "POST /api/v1/usage/batch": {
    operationId: "batch",
    summary: "Record up to 1,000 usage events",
    description: "Each event all or nothing, in order, with its own status and the body consume would answer.",
    auth: "apiKey",
    body: usageBatchBody,
    answer: usageBatchAnswer,
    errors: ["not_found"],
  },
  "POST /api/v1/ai/authorize": {
    operationId: "authorizeAi",
    summary: "Hold AI budget for one model call",
    description: "Holds the call's cost at its most expensive against the member's allocation, the org's AI pool and prepaid credits.",
    auth: "apiKey",
    body: aiAuthorizeBody,
    answer: aiAuthorization,
    errors: ["ai_access_paused", "forbidden", "not_found", "unknown_model", "ai_budget_exhausted", "user_allocation_exceeded"],
  },
  "POST /api/v1/ai/settle": {
    operationId: "settleAi",
    summary: "Charge what the call used",
    description: "Charges the tokens the call used at the price of its authorization and frees the rest of the hold. A retry answers the same settlement.",
    auth: "apiKey",
    body: aiSettleBody,
    answer: aiSettlement,
    errors: ["not_found", "idempotency_conflict"],
  },
  "POST /api/v1/ai/release": {
    operationId: "releaseAi",
    summary: "Give back a hold unused",
    auth: "apiKey",
    body: aiReleaseBody,
    answer: aiRelease,
    errors: ["not_found", "idempotency_conflict"],
  },
} satisfies Record<string, RouteContract>;
