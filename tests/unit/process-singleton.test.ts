import { describe, expect, it, vi } from "vitest";

// The production server bundles lib/ a second time beside Next's chunks; a fresh module graph stands in for that copy.
async function freshCopy<T>(load: () => Promise<T>): Promise<T> {
  vi.resetModules();
  return load();
}

describe("one instance per process", () => {
  it("gives every copy of a module the same abuse limiter, so their counts and bounds are the process's", async () => {
    const first = await freshCopy(() => import("@/lib/auth/failure-limiter"));
    const second = await freshCopy(() => import("@/lib/auth/failure-limiter"));
    expect(second).not.toBe(first); // two copies of the module...
    expect(second.apiKeyFailures()).toBe(first.apiKeyFailures()); // ...one limiter
    expect(second.signInFailures()).toBe(first.signInFailures());
    await first.apiKeyFailures().recordFailure("192.0.2.77");
    for (let i = 0; i < 29; i++) await second.apiKeyFailures().recordFailure("192.0.2.77");
    expect(first.apiKeyFailures().retryAfter("192.0.2.77")).toBeGreaterThan(0);
  });

  it("keeps distinct names apart", async () => {
    const { processSingleton } = await import("@/lib/process/singleton");
    expect(processSingleton("test-a", () => ({}))).not.toBe(processSingleton("test-b", () => ({})));
    expect(processSingleton("test-a", () => ({ other: true }))).toEqual({});
  });
});
