import { describe, expect, it } from "vitest";
import { billingPeriodFor, recentPeriods, secondsUntilReset } from "@/lib/billing-cycle";

const at = (iso: string) => new Date(iso);
const period = (anchor: string, now: string) => {
  const p = billingPeriodFor(at(anchor), at(now));
  return [p.start.toISOString(), p.end.toISOString()];
};

describe("billingPeriodFor", () => {
  it("resets on the anchor day each month", () => {
    expect(period("2026-01-15T00:00:00Z", "2026-03-20T12:00:00Z")).toEqual(["2026-03-15T00:00:00.000Z", "2026-04-15T00:00:00.000Z"]);
    expect(period("2026-01-15T00:00:00Z", "2026-03-14T23:59:59.999Z")).toEqual(["2026-02-15T00:00:00.000Z", "2026-03-15T00:00:00.000Z"]);
  });

  it("starts the new period exactly at the anchor instant", () => {
    expect(period("2026-01-15T08:30:00Z", "2026-03-15T08:30:00Z")[0]).toBe("2026-03-15T08:30:00.000Z");
    expect(period("2026-01-15T08:30:00Z", "2026-03-15T08:29:59.999Z")[0]).toBe("2026-02-15T08:30:00.000Z");
  });

  it("clamps an anchor on the 31st to short months and returns to the 31st after", () => {
    expect(period("2026-01-31T00:00:00Z", "2026-02-10T00:00:00Z")).toEqual(["2026-01-31T00:00:00.000Z", "2026-02-28T00:00:00.000Z"]);
    expect(period("2026-01-31T00:00:00Z", "2026-03-01T00:00:00Z")).toEqual(["2026-02-28T00:00:00.000Z", "2026-03-31T00:00:00.000Z"]);
    expect(period("2026-01-31T00:00:00Z", "2026-04-30T00:00:00Z")).toEqual(["2026-04-30T00:00:00.000Z", "2026-05-31T00:00:00.000Z"]);
  });

  it("uses Feb 29 in leap years", () => {
    expect(period("2027-12-31T00:00:00Z", "2028-02-29T12:00:00Z")).toEqual(["2028-02-29T00:00:00.000Z", "2028-03-31T00:00:00.000Z"]);
    expect(period("2028-01-29T00:00:00Z", "2028-03-01T00:00:00Z")).toEqual(["2028-02-29T00:00:00.000Z", "2028-03-29T00:00:00.000Z"]);
    expect(period("2026-01-29T00:00:00Z", "2026-03-01T00:00:00Z")).toEqual(["2026-02-28T00:00:00.000Z", "2026-03-29T00:00:00.000Z"]);
    expect(period("2026-01-30T00:00:00Z", "2026-02-28T00:00:00Z")).toEqual(["2026-02-28T00:00:00.000Z", "2026-03-30T00:00:00.000Z"]);
  });

  it("crosses year ends", () => {
    expect(period("2025-03-31T00:00:00Z", "2027-01-05T00:00:00Z")).toEqual(["2026-12-31T00:00:00.000Z", "2027-01-31T00:00:00.000Z"]);
  });

  it("always returns a period that contains the instant and is contiguous with the next (random oracle)", () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 5_000; i++) {
      const anchor = new Date(Date.UTC(2020, 0, 1) + Math.floor(random() * 3_000) * 86_400_000 + Math.floor(random() * 86_400_000));
      const now = new Date(anchor.getTime() + Math.floor(random() * 2_000 * 86_400_000));
      const p = billingPeriodFor(anchor, now);
      expect(p.start <= now && now < p.end).toBe(true);
      expect(billingPeriodFor(anchor, p.end).start.getTime()).toBe(p.end.getTime());
      const day = Math.min(anchor.getUTCDate(), new Date(Date.UTC(p.start.getUTCFullYear(), p.start.getUTCMonth() + 1, 0)).getUTCDate());
      expect(p.start.getUTCDate()).toBe(day);
      expect(p.start.getUTCHours()).toBe(anchor.getUTCHours());
    }
  });
});

describe("recentPeriods and secondsUntilReset", () => {
  it("lists the last periods oldest first, back to back", () => {
    const periods = recentPeriods(at("2026-01-31T00:00:00Z"), at("2026-04-02T00:00:00Z"), 3);
    expect(periods.map((p) => p.start.toISOString().slice(0, 10))).toEqual(["2026-01-31", "2026-02-28", "2026-03-31"]);
    expect(periods[1].end).toEqual(periods[2].start);
  });

  it("rounds up to whole seconds and never answers 0", () => {
    const p = billingPeriodFor(at("2026-01-15T00:00:00Z"), at("2026-02-01T00:00:00Z"));
    expect(secondsUntilReset(p, at("2026-02-14T23:59:59.500Z"))).toBe(1);
    expect(secondsUntilReset(p, at("2026-02-14T23:00:00Z"))).toBe(3600);
  });
});
