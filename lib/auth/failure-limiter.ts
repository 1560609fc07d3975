import { LRUCache } from "lru-cache";
import { clientBucket } from "@/lib/http/client-address";
import { processSingleton } from "@/lib/process/singleton";
import { processFailureCounts, type SharedFailureCounts } from "./shared-failure-counts";

/**
 * Abuse limits: a client address that keeps failing authentication is told
 * to wait. Only failures are counted, and only the failing address waits: a
 * valid key or sign-in from any other address is never refused for them.
 * Checking a request is one in-memory lookup; counting a failure goes to the
 * shared counts (Redis) when configured, so the limit holds across app
 * instances, and falls back to this instance's own count when they cannot be
 * reached.
 */
export interface FailureLimiter {
  /** Seconds the client must wait, or null when it may proceed. */
  retryAfter(client: string, now?: number): number | null;
  recordFailure(client: string, now?: number): Promise<void>;
}

interface LimiterOptions {
  /** Names the limiter in the shared counts. */
  name: string;
  maxFailures: number;
  windowMs: number;
  /** How many addresses are remembered; the least recently seen are forgotten first. */
  maxClients?: number;
  shared?: SharedFailureCounts | null;
}

export function createFailureLimiter({ name, maxFailures, windowMs, maxClients = 50_000, shared = null }: LimiterOptions): FailureLimiter {
  const windows = new LRUCache<string, { startedAt: number; failures: number }>({ max: maxClients });
  // Address -> the instant its block ends.
  const blocks = new LRUCache<string, number>({ max: maxClients });
  shared?.onBlocked((limiter, bucket, ttlMs) => {
    if (limiter === name && ttlMs > 0) blocks.set(bucket, Date.now() + ttlMs);
  });

  function countLocally(bucket: string, now: number) {
    let window = windows.get(bucket);
    if (!window || now - window.startedAt >= windowMs) windows.set(bucket, (window = { startedAt: now, failures: 0 }));
    window.failures++;
    if (window.failures >= maxFailures) blocks.set(bucket, window.startedAt + windowMs);
  }

  return {
    retryAfter(client, now = Date.now()) {
      if (blocks.size === 0) return null; // the usual case: nobody is blocked, nothing to parse
      const until = blocks.get(clientBucket(client));
      return until !== undefined && until > now ? Math.ceil((until - now) / 1000) : null;
    },
    async recordFailure(client, now = Date.now()) {
      const bucket = clientBucket(client);
      if (shared) {
        try {
          const { failures, ttlMs } = await shared.increment(name, bucket, windowMs, maxFailures);
          if (failures >= maxFailures) blocks.set(bucket, now + ttlMs);
          return;
        } catch {
          // Redis is unreachable (already reported): count here, as a single instance would.
        }
      }
      countLocally(bucket, now);
    },
  };
}

/** Bad API keys: 30 failures in 5 minutes, then 429 until the window ends. */
export const apiKeyFailures = () =>
  processSingleton("api-key-failures", () =>
    createFailureLimiter({ name: "api-key", maxFailures: 30, windowMs: 5 * 60_000, shared: processFailureCounts() }));

/** Failed sign-ins: 10 in 5 minutes, then 429 until the window ends. */
export const signInFailures = () =>
  processSingleton("sign-in-failures", () =>
    createFailureLimiter({ name: "sign-in", maxFailures: 10, windowMs: 5 * 60_000, shared: processFailureCounts() }));

/** Sign-in links emailed to one address (each counts as a "failure"): 5 in 15 minutes, so the form cannot flood an inbox. */
export const signInLinksSent = () =>
  processSingleton("sign-in-links-sent", () =>
    createFailureLimiter({ name: "sign-in-link", maxFailures: 5, windowMs: 15 * 60_000, shared: processFailureCounts() }));
