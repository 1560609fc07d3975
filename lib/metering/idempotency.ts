import { createHash } from "node:crypto";
import { z } from "zod";

/**
 * Idempotency keys. An admitted consume's ledger row is its key's record:
 * the request's fingerprint and the answer, which a retry with the same key
 * within the window gets again (a different request with it: 409). The window
 * is IDEMPOTENCY_WINDOW_HOURS, 24 by default as Stripe keeps its keys, at
 * most 35 days; a retry after it is a new request. The ledger keeps every
 * event's key for good; what the window bounds is the key index that finds
 * them (lib/db/ledger-partitions.ts retires a month's once the window has left
 * it behind).
 */
const windowEnv = z.object({
  IDEMPOTENCY_WINDOW_HOURS: z.coerce.number().int().min(24).max(35 * 24).default(24),
});

/** The window in milliseconds; a setting under 24 hours or over 35 days is refused. */
export function idempotencyWindowMs(env: Record<string, string | undefined> = process.env) {
  return windowEnv.parse(env).IDEMPOTENCY_WINDOW_HOURS * 3_600_000;
}

let windowMs: number | undefined;

/** The earliest instant whose keys a request at `now` can replay: keys recorded before it are forgotten. */
export function keysSince(now: Date): Date {
  windowMs ??= idempotencyWindowMs();
  return new Date(now.getTime() - windowMs);
}

/** A stable 128-bit fingerprint of what a request asked for (hex), to tell a retry from a reuse of its key. */
export function requestHash(operation: string, body: unknown): string {
  return createHash("sha256").update(operation).update(stableJson(body)).digest().toString("hex", 0, 16);
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}
