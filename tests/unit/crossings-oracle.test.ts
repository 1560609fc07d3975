import { describe, expect, it } from "vitest";
import { crossings } from "../support/crossings-oracle";

describe("crossings", () => {
  it("raises each threshold crossed upwards, once", () => {
    expect(crossings(79, 80, 100)).toEqual([{ threshold: 80, state: "raised" }]);
    expect(crossings(0, 100, 100).map((c) => c.threshold)).toEqual([80, 90, 100]);
    expect(crossings(80, 89, 100)).toEqual([]);
    expect(crossings(95, 120, 100)).toEqual([{ threshold: 100, state: "raised" }]);
  });

  it("resolves thresholds crossed downwards", () => {
    expect(crossings(100, 85, 100)).toEqual([
      { threshold: 90, state: "resolved" },
      { threshold: 100, state: "resolved" },
    ]);
  });

  it("never alerts without a limit", () => {
    expect(crossings(0, 10 ** 9, null)).toEqual([]);
    expect(crossings(0, 5, 0)).toEqual([]);
  });

  it("uses exact integer arithmetic at the line", () => {
    expect(crossings(7_999, 8_000, 10_000)).toHaveLength(1);
    expect(crossings(2, 3, 3).map((c) => c.threshold)).toEqual([80, 90, 100]); // 2/3 = 66%, 3/3 = 100%
  });
});
