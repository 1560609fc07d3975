import { Redis } from "ioredis";
import { processSingleton } from "@/lib/process/singleton";
import { logger } from "@/lib/observability/log";

/**
 * Failure counts shared by every app instance, in Redis (REDIS_URL). Only a
 * failure costs a round trip: the count goes up in Redis, and when a client
 * reaches the limit the block is published to every instance, which keeps it
 * in memory. So a request is checked against a local map, never against
 * Redis, and a block set on one instance holds on all of them within a
 * publish. An instance that starts during a block learns of it at that
 * client's next failure (its count is already past the limit).
 */
export interface SharedFailureCounts {
  /** Counts one failure; the failures in the client's current window and the milliseconds the window has left. Rejects when Redis cannot be reached. */
  increment(limiter: string, client: string, windowMs: number, maxFailures: number): Promise<{ failures: number; ttlMs: number }>;
  /** Called whenever any instance sees a client reach a limit. */
  onBlocked(listener: (limiter: string, client: string, ttlMs: number) => void): void;
  /** Resolves once this instance hears the blocks other instances publish. */
  listening(): Promise<void>;
  close(): Promise<void>;
}

// One round trip per failure: count, start the window on the first failure, and publish the block on reaching the limit.
const COUNT_FAILURE = `
local failures = redis.call('INCR', KEYS[1])
if failures == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if failures == tonumber(ARGV[2]) then redis.call('PUBLISH', KEYS[2], ARGV[3] .. '\\n' .. ttl) end
return {failures, ttl}`;

export function createSharedFailureCounts(url: string, prefix = "ledgerline:"): SharedFailureCounts {
  // A failure waits at most half a second for Redis (while connecting, or when it is gone); then the caller counts locally.
  const commands = new Redis(url, { maxRetriesPerRequest: 1, commandTimeout: 500, connectionName: "ledgerline-abuse-limits" });
  const subscriber = new Redis(url, { maxRetriesPerRequest: null, connectionName: "ledgerline-abuse-blocks" });
  const channel = `${prefix}blocked`;
  const listeners: ((limiter: string, client: string, ttlMs: number) => void)[] = [];
  let reported = false;
  const report = (error: Error) => {
    if (reported) return;
    reported = true;
    logger().warn({ err: error }, "abuse limits: Redis at REDIS_URL is unreachable; each instance counts failures alone until it is back");
  };
  commands.on("error", report).on("ready", () => (reported = false));
  subscriber.on("error", report);
  const subscribed = subscriber.subscribe(channel).then(() => undefined);
  subscribed.catch(report);
  subscriber.on("message", (_channel: string, message: string) => {
    const [limiter, client, ttl] = message.split("\n");
    for (const listener of listeners) listener(limiter, client, Number(ttl));
  });

  return {
    async increment(limiter, client, windowMs, maxFailures) {
      const [failures, ttlMs] = (await commands.eval(
        COUNT_FAILURE, 2, `${prefix}failures:${limiter}:${client}`, channel, windowMs, maxFailures, `${limiter}\n${client}`,
      )) as [number, number];
      return { failures, ttlMs };
    },
    onBlocked(listener) {
      listeners.push(listener);
    },
    listening: () => subscribed,
    async close() {
      commands.disconnect();
      subscriber.disconnect();
    },
  };
}

/** This process's connection to the shared counts, or null when REDIS_URL is unset (one instance counts alone). */
export function processFailureCounts(env: NodeJS.ProcessEnv = process.env): SharedFailureCounts | null {
  return processSingleton("shared-failure-counts", () =>
    env.REDIS_URL ? createSharedFailureCounts(env.REDIS_URL, env.REDIS_KEY_PREFIX ?? "ledgerline:") : null,
  );
}
