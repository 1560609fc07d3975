import { describe, expect, it } from "vitest";
import { createFailureLimiter } from "@/lib/auth/failure-limiter";

describe("createFailureLimiter", () => {
  it("lets a client fail up to the limit, then asks it to wait until the window ends", async () => {
    const limiter = createFailureLimiter({ name: "t", maxFailures: 3, windowMs: 60_000 });
    for (let i = 0; i < 3; i++) {
      expect(limiter.retryAfter("192.0.2.1", 1_000)).toBeNull();
      await limiter.recordFailure("192.0.2.1", 1_000);
    }
    expect(limiter.retryAfter("192.0.2.1", 1_000)).toBe(60);
    expect(limiter.retryAfter("192.0.2.1", 31_000)).toBe(30);
    expect(limiter.retryAfter("192.0.2.2", 31_000)).toBeNull();
    expect(limiter.retryAfter("192.0.2.1", 61_000)).toBeNull();
  });

  it("starts a new window once the old one has ended", async () => {
    const limiter = createFailureLimiter({ name: "t", maxFailures: 2, windowMs: 10_000 });
    await limiter.recordFailure("192.0.2.1", 0);
    await limiter.recordFailure("192.0.2.1", 10_000);
    expect(limiter.retryAfter("192.0.2.1", 10_001)).toBeNull();
    await limiter.recordFailure("192.0.2.1", 10_002);
    expect(limiter.retryAfter("192.0.2.1", 10_003)).toBe(10);
  });

  it("counts an IPv6 client by its /64, so rotating addresses inside it gains nothing", async () => {
    const limiter = createFailureLimiter({ name: "t", maxFailures: 2, windowMs: 60_000 });
    await limiter.recordFailure("2001:db8:1:2::1", 0);
    await limiter.recordFailure("2001:db8:1:2:ffff::9", 0);
    expect(limiter.retryAfter("2001:db8:1:2::abcd", 1)).toBe(60);
    expect(limiter.retryAfter("2001:db8:1:3::1", 1)).toBeNull();
  });

  it("forgets the least recently seen clients beyond its size", async () => {
    const limiter = createFailureLimiter({ name: "t", maxFailures: 1, windowMs: 60_000, maxClients: 2 });
    await limiter.recordFailure("192.0.2.1", 0);
    await limiter.recordFailure("192.0.2.2", 0);
    await limiter.recordFailure("192.0.2.3", 0);
    expect(limiter.retryAfter("192.0.2.1", 1)).toBeNull();
    expect(limiter.retryAfter("192.0.2.3", 1)).toBe(60);
  });
});
