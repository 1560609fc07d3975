import { describe, expect, it } from "vitest";
import { billingPeriodFor } from "@/lib/billing-cycle";

/**
 * An independent oracle for billingPeriodFor: it walks calendar months with
 * plain integers and its own leap-year rule, never letting Date normalise an
 * overflowing day, and checks thousands of random anchors and instants.
 */
const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const daysIn = (y: number, m: number) => (m === 1 && isLeap(y) ? 29 : DAYS[m]);

function oracleStart(anchor: Date, at: Date): number {
  const day = anchor.getUTCDate();
  const timeOfDay = anchor.getTime() - Date.UTC(anchor.getUTCFullYear(), anchor.getUTCMonth(), day);
  const startIn = (y: number, m: number) => Date.UTC(y, m, Math.min(day, daysIn(y, m))) + timeOfDay;
  // Step month by month from well before `at` and keep the last start not after it.
  let y = at.getUTCFullYear() - 1;
  let m = at.getUTCMonth();
  let best = startIn(y, m);
  for (let i = 0; i < 14; i++) {
    m += 1;
    if (m === 12) {
      m = 0;
      y += 1;
    }
    const start = startIn(y, m);
    if (start <= at.getTime()) best = start;
  }
  return best;
}

describe("billingPeriodFor against an independent oracle", () => {
  it("agrees on 20,000 random anchors and instants, including the 29th-31st and leap years", () => {
    let seed = 20_261_126;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    for (let i = 0; i < 20_000; i++) {
      // Bias a third of the anchors to the 28th-31st, where clamping happens.
      const base = Date.UTC(1999 + Math.floor(random() * 40), Math.floor(random() * 12), random() < 0.33 ? 28 + Math.floor(random() * 4) : 1 + Math.floor(random() * 28));
      const anchor = new Date(base + Math.floor(random() * 86_400_000));
      const at = new Date(anchor.getTime() + Math.floor(random() * 5 * 365 * 86_400_000));
      const period = billingPeriodFor(anchor, at);
      expect(period.start.getTime(), `${anchor.toISOString()} @ ${at.toISOString()}`).toBe(oracleStart(anchor, at));
      expect(period.end.getTime()).toBe(oracleStart(anchor, new Date(period.end.getTime())));
      expect(period.end.getTime()).toBeGreaterThan(at.getTime());
    }
  });
});
