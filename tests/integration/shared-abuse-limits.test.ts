import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { createFailureLimiter } from "@/lib/auth/failure-limiter";
import { createSharedFailureCounts, type SharedFailureCounts } from "@/lib/auth/shared-failure-counts";

// Each "instance" has its own Redis connections, as separate app processes would.
const url = process.env.REDIS_URL;
const opened: SharedFailureCounts[] = [];
afterAll(() => Promise.all(opened.map((counts) => counts.close())));

async function instance(prefix: string) {
  const shared = createSharedFailureCounts(url!, prefix);
  opened.push(shared);
  await shared.listening();
  return createFailureLimiter({ name: "api-key", maxFailures: 30, windowMs: 60_000, shared });
}

async function until(check: () => boolean, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe.skipIf(!url)("abuse limits across app instances (Redis at REDIS_URL)", () => {
  it("counts the failures of one address on two instances together, and blocks it on both", async () => {
    const prefix = `test_${randomUUID()}:`;
    const [a, b] = await Promise.all([instance(prefix), instance(prefix)]);
    for (let i = 0; i < 29; i++) await (i % 2 ? a : b).recordFailure("198.51.100.7");
    expect(a.retryAfter("198.51.100.7")).toBeNull();
    expect(b.retryAfter("198.51.100.7")).toBeNull();
    await a.recordFailure("198.51.100.7"); // the 30th, on instance a
    expect(a.retryAfter("198.51.100.7")).toBeGreaterThan(0);
    // Instance b saw 15 of the 30 failures, and blocks the address as well.
    await until(() => b.retryAfter("198.51.100.7") !== null);
    expect(b.retryAfter("198.51.100.7")).toBeGreaterThan(55);
    // Another address is never refused for them.
    expect(a.retryAfter("198.51.100.8")).toBeNull();
    expect(b.retryAfter("198.51.100.8")).toBeNull();
  });

  it("blocks on an instance that started after the block at that address's next failure", async () => {
    const prefix = `test_${randomUUID()}:`;
    const first = await instance(prefix);
    for (let i = 0; i < 30; i++) await first.recordFailure("198.51.100.9");
    const late = await instance(prefix);
    expect(late.retryAfter("198.51.100.9")).toBeNull();
    await late.recordFailure("198.51.100.9");
    expect(late.retryAfter("198.51.100.9")).toBeGreaterThan(0);
  });

  it("counts locally when Redis cannot be reached, and still blocks", async () => {
    const shared = createSharedFailureCounts("redis://127.0.0.1:1", `test_${randomUUID()}:`);
    opened.push(shared);
    const limiter = createFailureLimiter({ name: "api-key", maxFailures: 3, windowMs: 60_000, shared });
    for (let i = 0; i < 3; i++) await limiter.recordFailure("198.51.100.10");
    expect(limiter.retryAfter("198.51.100.10")).toBeGreaterThan(0);
  });
});
