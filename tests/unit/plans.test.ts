import { describe, expect, it } from "vitest";
import { percentUsed } from "@/lib/limits/cap-policy";
import { limitFor, PLANS } from "@/lib/limits/plans";

describe("percentUsed", () => {
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
