import { ApiError } from "./errors";

/** Turns any error into the API's JSON shape; the store being down is a 503, never a 500. */
export function errorResponse(error: unknown): Response {
  const apiError = error instanceof ApiError ? error : unexpected(error);
  const headers: Record<string, string> = {};
  if (apiError.retryAfter !== undefined) headers["Retry-After"] = String(apiError.retryAfter);
  return Response.json(apiError.toJSON(), { status: apiError.status, headers });
}

const STORE_DOWN = /ECONNREFUSED|ECONNRESET|Connection terminated|connect ETIMEDOUT|timeout exceeded when trying to connect|the database system is (starting up|shutting down)|terminating connection|Can't reach database|canceling statement due to statement timeout/i;

function unexpected(error: unknown): ApiError {
  const text = error instanceof Error ? `${error.message} ${String((error as { cause?: unknown }).cause ?? "")}` : String(error);
  if (STORE_DOWN.test(text)) {
    return new ApiError("store_unavailable", "The usage store is unavailable; nothing was recorded. Retry shortly.", {}, 2);
  }
  console.error(error);
  return new ApiError("internal_error", "Something went wrong on our side; nothing was recorded.");
}
