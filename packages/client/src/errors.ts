import type { components } from "./api.js";

/** Every error code the API answers (the OpenAPI document's Error schema). */
export type ApiErrorCode = components["schemas"]["Error"]["error"]["code"];

/** Codes of the 429s that say a limit was reached: not worth retrying before the reset. */
const LIMIT_CODES = new Set<string>(["limit_exceeded", "user_allocation_exceeded", "ai_budget_exhausted"]);

/** An answer of the API other than 200: its status, its error code and the details it carries. */
export class LedgerlineError extends Error {
  override readonly name: string = "LedgerlineError";

  constructor(
    readonly status: number,
    readonly code: ApiErrorCode | "unreachable",
    message: string,
    readonly details: Record<string, unknown> = {},
    /** Seconds, from Retry-After. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/** 429 for a limit: the org's cap, the member's allocation or the AI pool and credits. Nothing was recorded. */
export class LedgerlineLimitError extends LedgerlineError {
  override readonly name = "LedgerlineLimitError";
}

/** 402 ai_access_paused: the org's AI is paused after a failed payment. */
export class LedgerlinePausedError extends LedgerlineError {
  override readonly name = "LedgerlinePausedError";
}

/**
 * Ledgerline could not be reached or could not answer, after the client's
 * retries: a network error, a timeout, or a 5xx such as 503 store_unavailable.
 */
export class LedgerlineUnavailableError extends LedgerlineError {
  override readonly name = "LedgerlineUnavailableError";
}

/** The typed error for an answer's status and body. */
export function errorFromAnswer(status: number, body: unknown, retryAfterSeconds: number | undefined): LedgerlineError {
  const error = (body as { error?: { code?: string; message?: string } } | null)?.error;
  const code = (error?.code ?? "internal_error") as ApiErrorCode;
  const message = error?.message ?? `Ledgerline answered ${status}.`;
  const { code: _code, message: _message, ...details } = (error ?? {}) as Record<string, unknown>;
  if (status >= 500) return new LedgerlineUnavailableError(status, code, message, details, retryAfterSeconds);
  if (status === 402) return new LedgerlinePausedError(status, code, message, details, retryAfterSeconds);
  if (status === 429 && LIMIT_CODES.has(code)) return new LedgerlineLimitError(status, code, message, details, retryAfterSeconds);
  return new LedgerlineError(status, code, message, details, retryAfterSeconds);
}
