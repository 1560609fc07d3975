import { describe, expect, it } from "vitest";
import { ceilingFor, decide, percentUsed } from "@/lib/limits/decide";
import { limitFor, PLANS } from "@/lib/limits/plans";

describe("decide", () => {
  it("hard caps allow up to exactly 100%", () => {
    expect(decide(99, 1, "hard", 100)).toEqual({ allowed: true, used: 100 });
    expect(decide(100, 1, "hard", 100)).toEqual({ allowed: false, used: 100 });
    expect(decide(95, 10, "hard", 100).allowed).toBe(false); // all or nothing
  });

  it("soft caps allow up to floor(110%)", () => {
    expect(ceilingFor("soft", 25_000)).toBe(27_500);
    expect(ceilingFor("soft", 5)).toBe(5); // floor(5.5)
    expect(decide(27_499, 1, "soft", 25_000).allowed).toBe(true);
    expect(decide(27_500, 1, "soft", 25_000).allowed).toBe(false);
  });

  it("unlimited and observed metrics always allow", () => {
    expect(decide(10 ** 12, 10 ** 9, "hard", null).allowed).toBe(true);
    expect(decide(10 ** 12, 10 ** 9, "observe", 5).allowed).toBe(true);
  });

  it("never denies a release", () => {
    expect(decide(200, -5, "hard", 100)).toEqual({ allowed: true, used: 195 });
  });

  it("reports percent of the limit", () => {
    expect(percentUsed(85, 100)).toBe(85);
    expect(percentUsed(26_500, 25_000)).toBe(106);
    expect(percentUsed(5, null)).toBe(0);
  });
});

describe("plan catalog", () => {
  it("holds the contract's limits", () => {
    expect(limitFor("pro", "contacts")).toBe(25_000);
    expect(limitFor("ultra", "contacts")).toBeNull();
    expect(limitFor("ultra", "storage_bytes")).toBe(10 ** 12);
    expect(limitFor("business", "ai_budget")).toBe(500_000_000);
    expect(limitFor("free", "ai_tokens")).toBeNull();
    expect(PLANS.business.annualPriceMicros).toBe(1_910_000_000);
  });

  it("applies per-org overrides, including unlimited", () => {
    expect(limitFor("pro", "contacts", { contacts: 500_000 })).toBe(500_000);
    expect(limitFor("pro", "emails_sent", { emails_sent: null })).toBeNull();
  });
});
