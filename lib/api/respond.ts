import type { ApiReply } from "./endpoint";
import { logger } from "@/lib/observability/log";
import { ApiError } from "./errors";

/** Turns any error into the API's JSON shape; the store being down is a 503, never a 500. */
export function errorReply(error: unknown): ApiReply {
  const apiError = error instanceof ApiError ? error : unexpected(error);
  const headers: Record<string, string> = {};
  if (apiError.retryAfter !== undefined) headers["Retry-After"] = String(apiError.retryAfter);
  return { status: apiError.status, body: apiError.toJSON(), headers };
}

export function errorResponse(error: unknown): Response {
  const { status, body, headers } = errorReply(error);
  return Response.json(body, { status, headers });
}

/** Signs, anywhere in an error's chain, that Postgres could not be reached or gave up on a statement. */
const STORE_DOWN = /ECONNREFUSED|ECONNRESET|EPIPE|ConnectionClosed|Connection terminated|connect ETIMEDOUT|timeout exceeded when trying to connect|the database system is (starting up|shutting down)|terminating connection|Can't reach database|canceling statement due to statement timeout|DatabaseNotReachable|SocketTimeout|TooManyConnections/i;

function errorChain(error: unknown): string {
  const seen = new Set<unknown>();
  const parts: string[] = [];
  const visit = (value: unknown, depth: number) => {
    if (!value || typeof value !== "object" || seen.has(value) || depth > 5) return;
    seen.add(value);
    const e = value as { name?: unknown; message?: unknown; code?: unknown; kind?: unknown; cause?: unknown; meta?: unknown };
    parts.push(String(e.name ?? ""), String(e.message ?? ""), String(e.code ?? ""), String(e.kind ?? ""));
    visit(e.cause, depth + 1);
    visit(e.meta, depth + 1);
    for (const nested of Object.values(value)) if (nested && typeof nested === "object") visit(nested, depth + 1);
  };
  visit(error, 0);
  return parts.join(" ");
}

/** Whether the error says the store could not be reached or gave up, rather than refusing this request's data. */
export function isStoreUnavailable(error: unknown): boolean {
  return STORE_DOWN.test(errorChain(error));
}

function unexpected(error: unknown): ApiError {
  if (isStoreUnavailable(error)) {
    return new ApiError("store_unavailable", "The usage store is unavailable; nothing was recorded. Retry shortly.", {}, 2);
  }
  logger().error({ err: error }, "unexpected error answered as 500");
  return new ApiError("internal_error", "Something went wrong on our side; nothing was recorded.");
}
