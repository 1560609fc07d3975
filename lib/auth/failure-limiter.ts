/**
 * Abuse limits: a client (by IP) that keeps failing authentication is told to
 * wait. Only failures are counted, so legitimate traffic costs one map lookup.
 * Counts live in this process: with several app instances each enforces its
 * own limit, which is enough against noise and guessing (keys carry 256 bits
 * of entropy), without a store round trip on the hot path.
 */
export interface FailureLimiter {
  /** Seconds the client must wait, or null when it may proceed. */
  retryAfter(client: string, now?: number): number | null;
  recordFailure(client: string, now?: number): void;
}

export function createFailureLimiter({ maxFailures, windowMs, maxClients = 50_000 }: { maxFailures: number; windowMs: number; maxClients?: number }): FailureLimiter {
  const windows = new Map<string, { startedAt: number; failures: number }>();
  return {
    retryAfter(client, now = Date.now()) {
      const window = windows.get(client);
      if (!window || now - window.startedAt >= windowMs) return null;
      return window.failures >= maxFailures ? Math.ceil((window.startedAt + windowMs - now) / 1000) : null;
    },
    recordFailure(client, now = Date.now()) {
      const window = windows.get(client);
      if (window && now - window.startedAt < windowMs) {
        window.failures++;
        return;
      }
      if (windows.size >= maxClients) windows.delete(windows.keys().next().value!);
      windows.set(client, { startedAt: now, failures: 1 });
    },
  };
}

/** The client's address as Next's server reports it (the first X-Forwarded-For hop). */
export function clientAddress(headers: Pick<Headers, "get">): string {
  return headers.get("x-forwarded-for")?.split(",")[0]?.trim() || headers.get("x-real-ip") || "unknown";
}

/** Bad API keys: 30 failures in 5 minutes, then 429 until the window ends. */
export const apiKeyFailures = createFailureLimiter({ maxFailures: 30, windowMs: 5 * 60_000 });

/** Failed sign-ins: 10 in 5 minutes, then 429 until the window ends. */
export const signInFailures = createFailureLimiter({ maxFailures: 10, windowMs: 5 * 60_000 });
