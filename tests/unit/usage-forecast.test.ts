import { describe, expect, it } from "vitest";
import { describeAlert, type AlertFacts } from "@/lib/alerts/alert-words";
import { billingPeriodFor } from "@/lib/billing-cycle";
import { forecastUsage, MIN_FORECAST_DAYS } from "@/lib/usage-forecast";
import { toUsageView } from "@/lib/usage-view";
import { member, usageSnapshot } from "../support/usage-snapshot";

const DAY = 86_400_000;
const USD = 1_000_000;
const at = (iso: string) => new Date(iso);

describe("forecastUsage: a steady rate over the cycle so far", () => {
  // Anchored on the 1st: February 2027 is a cycle of 28 days.
  const february = billingPeriodFor(at("2026-03-01T00:00:00Z"), at("2027-02-10T00:00:00Z"));

  it("uses the cycle's own length: 700 in the first 7 of 28 days projects 2,800 and reaches 2,000 on day 20", () => {
    expect(february.end.getTime() - february.start.getTime()).toBe(28 * DAY);
    expect(forecastUsage({ used: 700, limit: 2_000, period: february, now: at("2027-02-08T00:00:00Z") })).toEqual({
      projectedUsed: 2_800,
      reachesLimitOn: "2027-02-21",
    });
  });

  it("is on track, with no day, when the pace stays under the limit", () => {
    expect(forecastUsage({ used: 700, limit: 5_000, period: february, now: at("2027-02-08T00:00:00Z") })).toEqual({
      projectedUsed: 2_800,
      reachesLimitOn: null,
    });
  });

  it("follows an anchor on the 31st through February's 28 days and March's 31", () => {
    const anchor = at("2025-01-31T09:00:00Z");
    const toFebruary = billingPeriodFor(anchor, at("2027-02-10T09:00:00Z"));
    expect(toFebruary).toEqual({ start: at("2027-01-31T09:00:00Z"), end: at("2027-02-28T09:00:00Z") });
    // 500 in 10 of 28 days: 1,400 by the end; 1,000 after 20 days, on Feb 20 at 09:00.
    expect(forecastUsage({ used: 500, limit: 1_000, period: toFebruary, now: at("2027-02-10T09:00:00Z") })).toEqual({
      projectedUsed: 1_400,
      reachesLimitOn: "2027-02-20",
    });

    const toMarch = billingPeriodFor(anchor, at("2027-03-10T09:00:00Z"));
    expect(toMarch).toEqual({ start: at("2027-02-28T09:00:00Z"), end: at("2027-03-31T09:00:00Z") });
    // 300 in 10 of 31 days: 930, under 1,000.
    expect(forecastUsage({ used: 300, limit: 1_000, period: toMarch, now: at("2027-03-10T09:00:00Z") })).toEqual({ projectedUsed: 930, reachesLimitOn: null });
  });

  it("says nothing in the cycle's first days or without a cap", () => {
    const start = february.start.getTime();
    const early = new Date(start + MIN_FORECAST_DAYS * DAY - 1);
    expect(forecastUsage({ used: 900, limit: 1_000, period: february, now: early })).toBeNull();
    expect(forecastUsage({ used: 900, limit: 1_000, period: february, now: new Date(start + MIN_FORECAST_DAYS * DAY) })).not.toBeNull();
    expect(forecastUsage({ used: 900, limit: null, period: february, now: at("2027-02-20T00:00:00Z") })).toBeNull();
  });

  it("dates a limit already passed to when this pace reached it, and stops the clock at the cycle's end", () => {
    expect(forecastUsage({ used: 1_500, limit: 1_000, period: february, now: at("2027-02-16T00:00:00Z") })).toEqual({
      projectedUsed: 2_800,
      reachesLimitOn: "2027-02-11",
    });
    expect(forecastUsage({ used: 1_400, limit: 2_000, period: february, now: at("2027-03-05T00:00:00Z") })).toEqual({ projectedUsed: 1_400, reachesLimitOn: null });
  });

  it("stays exact in integers at micro-dollar scale", () => {
    // $123,456.789012 in 10 of 30 days: three times that, to the micro-dollar.
    const period = { start: at("2026-11-01T00:00:00Z"), end: at("2026-12-01T00:00:00Z") };
    const forecast = forecastUsage({ used: 123_456_789_012, limit: 500_000 * USD, period, now: at("2026-11-11T00:00:00Z") });
    expect(forecast).toEqual({ projectedUsed: 370_370_367_036, reachesLimitOn: null });
  });
});

describe("the forecast on the Usage page", () => {
  const forecasts = {
    ai_budget: { projectedUsed: 175 * USD, reachesLimitOn: "2026-12-02" },
    emails_sent: { projectedUsed: 6_200, reachesLimitOn: null },
    contacts: { projectedUsed: 1, reachesLimitOn: null },
  };
  const snapshot = usageSnapshot({ aiUsedMicros: 70 * USD, used: { emails_sent: 2_100 }, forecasts, asOf: "2026-11-25T00:00:00.000Z" });

  it("says when the AI pool runs out, in the same words for every role", () => {
    for (const role of ["user", "admin"] as const) {
      const view = toUsageView(snapshot, { userId: "u1", role });
      expect(view.ai.forecast).toBe("At this pace the AI pool runs out around Dec 2");
    }
    expect(toUsageView(snapshot, { userId: "u1", role: "admin" }).ai.dollars?.forecast).toBe("At this pace the AI pool runs out around Dec 2");
  });

  it("words an on-track pool in dollars only under `dollars`, in percentages for everyone", () => {
    const onTrack = usageSnapshot({ aiUsedMicros: 20 * USD, forecasts: { ai_budget: { projectedUsed: 60 * USD, reachesLimitOn: null } } });
    const user = toUsageView(onTrack, { userId: "u1", role: "user" });
    expect(user.ai.forecast).toBe("On track: about 60% of the pool by Dec 15");
    expect(user.ai.dollars).toBeNull();
    expect(toUsageView(onTrack, { userId: "u1", role: "admin" }).ai.dollars?.forecast).toBe("On track: about $60.00 of $100.00 by Dec 15");
  });

  it("gives each resetting meter its line and says nothing once a limit is reached", () => {
    const view = toUsageView(snapshot, { userId: "u1", role: "user" });
    const meters = view.meterGroups.flatMap((g) => g.meters);
    expect(meters.find((m) => m.metric === "emails_sent")?.forecast).toBe("On track: about 6.2K of 10K by Dec 15");
    const reached = usageSnapshot({ aiUsedMicros: 100 * USD, forecasts: { ai_budget: { projectedUsed: 300 * USD, reachesLimitOn: "2026-11-20" } } });
    expect(toUsageView(reached, { userId: "u1", role: "admin" }).ai.forecast).toBeNull();
  });

  it("projects a personal allocation from the member's own use, and not a shared pool", () => {
    const people = [
      member("u1", { ai: { usedMicros: 4 * USD, allocationMicros: 10 * USD, blocked: 0 }, enrichments: { used: 30, allocation: 100, blocked: 0 } }),
      member("u2"),
    ];
    // Ten days of a thirty-day cycle: $4 of $10 heads for $12, reached on day 25 (Dec 10); 30 of 100 for 90.
    const tenDaysIn = usageSnapshot({ members: people, asOf: "2026-11-25T00:00:00.000Z" });
    const mine = toUsageView(tenDaysIn, { userId: "u1", role: "user" }).myUsage!;
    expect(mine.find((m) => m.metric === "ai_budget")?.forecast).toBe("At this pace your allocation runs out around Dec 10");
    expect(mine.find((m) => m.metric === "enrichments")?.forecast).toBe("On track: about 90 of 100 enrichments by Dec 15");
    expect(toUsageView(tenDaysIn, { userId: "u2", role: "user" }).myUsage!.every((m) => m.forecast === null)).toBe(true);
    expect(toUsageView(usageSnapshot({ members: people }), { userId: "u1", role: "user" }).myUsage!.every((m) => m.forecast === null)).toBe(true);
  });
});

describe("the 80% alert's text", () => {
  const alert: AlertFacts = {
    userId: "",
    metric: "emails_sent",
    periodStart: at("2026-11-15T00:00:00Z"),
    threshold: 80,
    state: "raised",
    cause: "usage",
    used: 8_000,
    limit: 10_000,
  };
  const audience = { memberName: null, showDollars: true };

  it("says when this pace reaches 100%, from the moment it was raised", () => {
    // 8,000 in 20 of 30 days: 10,000 after 25 days, on Dec 10.
    const words = describeAlert({ ...alert, pace: { raisedAt: at("2026-12-05T00:00:00Z"), periodEnd: at("2026-12-15T00:00:00Z") } }, audience);
    expect(words.detail).toBe("8,000 of 10,000. At this pace it reaches 100% around Dec 10.");
  });

  it("says the cycle stays under the limit when it does, and nothing in the first days", () => {
    const late = { ...alert, pace: { raisedAt: at("2026-12-14T00:00:00Z"), periodEnd: at("2026-12-15T00:00:00Z") } };
    expect(describeAlert(late, audience).detail).toBe("8,000 of 10,000. At this pace it stays under the limit this cycle.");
    const early = { ...alert, pace: { raisedAt: at("2026-11-16T00:00:00Z"), periodEnd: at("2026-12-15T00:00:00Z") } };
    expect(describeAlert(early, audience).detail).toBe("8,000 of 10,000.");
    const afterItsCycle = { ...alert, pace: { raisedAt: at("2026-12-20T00:00:00Z"), periodEnd: at("2026-12-15T00:00:00Z") } };
    expect(describeAlert(afterItsCycle, audience).detail).toBe("8,000 of 10,000.");
  });
});
