import { describe, expect, it } from "vitest";
import { ceilingFor, storeCeiling } from "@/lib/limits/cap-policy";
import type { CapKind } from "@/lib/limits/metrics";
import type { Limit } from "@/lib/limits/plans";
import { USAGE_THRESHOLDS } from "@/lib/limits/thresholds";
import { testStore } from "../support/store";

/**
 * The one cap decision, ledgerline_fits, asked of the store itself (PGlite or
 * the server), with the ceilings the app derives from a cap kind and limit.
 * Consume, the batch path, AI authorize and check all ask this function.
 */
async function fits(used: number, held: number, quantity: number, capKind: CapKind, limit: Limit) {
  const [row] = await (await testStore()).sql.query<{ fits: boolean }>(
    `SELECT ledgerline_fits($1::bigint, $2::bigint, $3::bigint, $4::bigint) AS fits`,
    [used, held, quantity, capKind === "observe" ? null : storeCeiling(capKind, limit)],
  );
  return row.fits;
}

describe("ledgerline_fits, the cap decision", () => {
  it("lets a hard cap reach exactly 100%, all or nothing", async () => {
    expect(await fits(99, 0, 1, "hard", 100)).toBe(true);
    expect(await fits(100, 0, 1, "hard", 100)).toBe(false);
    expect(await fits(95, 0, 10, "hard", 100)).toBe(false);
  });

  it("counts open holds as used", async () => {
    expect(await fits(60, 30, 10, "hard", 100)).toBe(true);
    expect(await fits(60, 31, 10, "hard", 100)).toBe(false);
  });

  it("lets a soft cap reach floor(110%)", async () => {
    expect(ceilingFor("soft", 25_000)).toBe(27_500);
    expect(ceilingFor("soft", 5)).toBe(5); // floor(5.5)
    expect(await fits(27_499, 0, 1, "soft", 25_000)).toBe(true);
    expect(await fits(27_500, 0, 1, "soft", 25_000)).toBe(false);
  });

  it("always lets unlimited and observed metrics through, up to the largest exact total", async () => {
    expect(await fits(10 ** 12, 0, 10 ** 9, "hard", null)).toBe(true);
    expect(await fits(10 ** 12, 0, 10 ** 9, "observe", 5)).toBe(true);
    expect(await fits(Number.MAX_SAFE_INTEGER - 1, 0, 2, "hard", null)).toBe(false);
  });

  it("never refuses a release, and refuses zero on a counter past its ceiling (after a downgrade)", async () => {
    expect(await fits(200, 0, -5, "hard", 100)).toBe(true);
    expect(await fits(100, 0, 0, "hard", 100)).toBe(true);
    expect(await fits(101, 0, 0, "hard", 100)).toBe(false);
  });
});

describe("the thresholds in SQL", () => {
  it("are lib/limits/thresholds.ts's, written by the migration runner", async () => {
    const [row] = await (await testStore()).sql.query<{ thresholds: number[] }>(`SELECT ledgerline_usage_thresholds() AS thresholds`);
    expect(row.thresholds).toEqual(Object.values(USAGE_THRESHOLDS));
  });
});
