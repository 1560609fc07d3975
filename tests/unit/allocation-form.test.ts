import { describe, expect, it } from "vitest";
import { allocationForm, dollarsToMicros } from "@/lib/admin/allocation-form";

const parse = (aiDollars: string, enrichments = "") => allocationForm.safeParse({ orgId: "org", userId: "u", aiDollars, enrichments });

describe("allocation form", () => {
  it("turns dollars into integer micro-dollars without floats", () => {
    expect(dollarsToMicros("0.29")).toBe(290_000); // 0.29 * 1e6 is 289999.99999999994 in floats
    expect(dollarsToMicros("12.5")).toBe(12_500_000);
    expect(dollarsToMicros("1000")).toBe(1_000_000_000);
    expect(parse("$1,250.05").data?.aiDollars).toBe(1_250_050_000);
  });

  it("reads blank as sharing the pool", () => {
    expect(parse("  ", "").data).toMatchObject({ aiDollars: null, enrichments: null });
  });

  it("refuses negatives, fractions of cents, fractional enrichments and words, with a clear message", () => {
    expect(parse("-5").error?.issues[0].message).toBe("An allocation cannot be negative.");
    expect(parse("", "-1").error?.issues[0].message).toBe("An allocation cannot be negative.");
    expect(parse("1.234").error?.issues[0].message).toBe("Enter the AI allocation in dollars, e.g. 25 or 12.50.");
    expect(parse("ten").error?.issues[0].path).toEqual(["aiDollars"]);
    expect(parse("", "2.5").error?.issues[0].message).toBe("Enter the enrichment allocation as a whole number, e.g. 100.");
  });
});
