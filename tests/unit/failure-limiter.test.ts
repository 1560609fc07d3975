import { describe, expect, it } from "vitest";
import { clientAddress, createFailureLimiter } from "@/lib/auth/failure-limiter";

describe("createFailureLimiter", () => {
  it("lets a client fail up to the limit, then asks it to wait until the window ends", () => {
    const limiter = createFailureLimiter({ maxFailures: 3, windowMs: 60_000 });
    for (let i = 0; i < 3; i++) {
      expect(limiter.retryAfter("a", 1_000)).toBeNull();
      limiter.recordFailure("a", 1_000);
    }
    expect(limiter.retryAfter("a", 1_000)).toBe(60);
    expect(limiter.retryAfter("a", 31_000)).toBe(30);
    expect(limiter.retryAfter("b", 31_000)).toBeNull();
    expect(limiter.retryAfter("a", 61_000)).toBeNull();
  });

  it("forgets the oldest clients beyond its size", () => {
    const limiter = createFailureLimiter({ maxFailures: 1, windowMs: 60_000, maxClients: 2 });
    limiter.recordFailure("a", 0);
    limiter.recordFailure("b", 0);
    limiter.recordFailure("c", 0);
    expect(limiter.retryAfter("a", 1)).toBeNull();
    expect(limiter.retryAfter("c", 1)).toBe(60);
  });

  it("reads the client address from the first forwarded hop", () => {
    expect(clientAddress(new Headers({ "x-forwarded-for": "203.0.113.7, 10.0.0.1" }))).toBe("203.0.113.7");
    expect(clientAddress(new Headers())).toBe("unknown");
  });
});
