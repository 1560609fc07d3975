import { errorFromAnswer, LedgerlineUnavailableError } from "./errors.js";

export interface TransportOptions {
  /** Where Ledgerline answers, e.g. https://ledgerline.example.com. */
  baseUrl: string;
  /** The org's API key (Admin > API keys). */
  apiKey: string;
  /** Per attempt; default 5,000 ms. */
  timeoutMs?: number;
  /** Attempts after the first, for network errors, timeouts and 503s; default 3. */
  retries?: number;
  /** The longest Retry-After the client waits out; a longer one is answered as the error. Default 10 s. */
  maxRetryAfterMs?: number;
  /** A fetch of your own (a proxy agent, a test double); default the global fetch. */
  fetch?: typeof fetch;
}

/**
 * How a request may be repeated. `idempotent`: the API answers a repeat as the
 * first (consume and batch by their idempotency keys, settle and release by the
 * authorization, reads always), so any failure is retried. `once`: a repeat would
 * be a second request (authorize), so only failures that say nothing was done
 * are retried: a refused connection and 503.
 */
export type RetrySafety = "idempotent" | "once";

const BASE_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 2_000;
/** Connection errors that mean the request never reached a server. */
const NOT_SENT = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Full-jitter exponential backoff: attempt 0 waits up to 100 ms, then 200, 400, ... up to 2 s. */
function backoffMs(attempt: number): number {
  return Math.random() * Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** attempt);
}

function retryAfterSeconds(headers: Headers): number | undefined {
  const value = headers.get("retry-after");
  if (value === null || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value);
}

function errorCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: string } })?.cause;
  return cause?.code ?? (error as { code?: string })?.code;
}

export function createTransport(options: TransportOptions) {
  const doFetch = options.fetch ?? fetch;
  const base = options.baseUrl.replace(/\/+$/, "");
  const timeoutMs = options.timeoutMs ?? 5_000;
  const retries = options.retries ?? 3;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 10_000;

  /** One API call: JSON in, JSON out, the typed error for anything but 200, retried as `safety` allows. */
  return async function request<T>(method: "GET" | "POST", path: string, body: unknown, safety: RetrySafety): Promise<T> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await doFetch(`${base}${path}`, {
          method,
          headers: { authorization: `Bearer ${options.apiKey}`, ...(payload === undefined ? {} : { "content-type": "application/json" }) },
          body: payload,
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        const timedOut = (error as Error)?.name === "TimeoutError";
        const retryable = safety === "idempotent" || NOT_SENT.has(errorCode(error) ?? "");
        if (retryable && attempt < retries) {
          await sleep(backoffMs(attempt));
          continue;
        }
        const reason = timedOut ? `no answer within ${timeoutMs} ms` : String((error as Error)?.message ?? error);
        throw new LedgerlineUnavailableError(0, "unreachable", `Ledgerline could not be reached: ${reason}.`, { cause: error });
      }
      const json: unknown = await response.json().catch(() => null);
      if (response.ok) return json as T;
      const wait = retryAfterSeconds(response.headers);
      const error = errorFromAnswer(response.status, json, wait);
      // 503 says nothing was recorded: safe to repeat even a request that is not idempotent. A 429 never is.
      const waitMs = wait === undefined ? backoffMs(attempt) : wait * 1000;
      if (response.status === 503 && attempt < retries && waitMs <= maxRetryAfterMs) {
        await sleep(waitMs);
        continue;
      }
      throw error;
    }
  };
}

export type Transport = ReturnType<typeof createTransport>;
