import { describe, expect, it } from "vitest";
import { ApiError } from "@/lib/api/errors";
import { csvField, csvRecord } from "@/lib/export/csv";
import { decimalDollars } from "@/lib/export/decimal-dollars";
import { exportWindow, splitIntoDays } from "@/lib/export/export-window";
import { exportColumns, parseExportQuery, readerScope } from "@/lib/export/usage-export";
import { readCsv } from "../support/csv-reader";

describe("CSV records (RFC 4180)", () => {
  const awkward = ['Smith, Jane', 'Jane "JJ" Smith', "two\r\nlines", "line\nfeed", "carriage\rreturn", '"', ",", "", " padded ", "=SUM(A1)", "Zoë 😀", "plain"];

  it("quote exactly the fields that hold a comma, quote, CR or LF, doubling the quotes", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField("Smith, Jane")).toBe('"Smith, Jane"');
    expect(csvField('Jane "JJ" Smith')).toBe('"Jane ""JJ"" Smith"');
    expect(csvField("a\nb")).toBe('"a\nb"');
    expect(csvField(" padded ")).toBe(" padded ");
    expect(csvField(null)).toBe("");
    expect(csvField(-12)).toBe("-12");
    expect(csvRecord(["a", "b,c"])).toBe('a,"b,c"\r\n');
  });

  it("read back, field for field, by an independent RFC 4180 reader", () => {
    const text = csvRecord(["name", "other"]) + awkward.map((value) => csvRecord([value, value])).join("");
    expect(readCsv(text)).toEqual([["name", "other"], ...awkward.map((value) => [value, value])]);
  });
});

describe("decimal dollars from micro-dollars", () => {
  it("are exact to the micro-dollar, negative and beyond 2^53 included", () => {
    expect(decimalDollars(0)).toBe("0.000000");
    expect(decimalDollars(5)).toBe("0.000005");
    expect(decimalDollars("12340000")).toBe("12.340000");
    expect(decimalDollars(-1_500_000)).toBe("-1.500000");
    expect(decimalDollars("123456789012345678901")).toBe("123456789012345.678901");
  });
});

describe("the export window", () => {
  const anchor = new Date("2026-01-15T12:34:00Z");
  const now = new Date("2026-03-20T09:00:00Z");

  it("defaults to the current billing cycle to the instant, and names its days", () => {
    expect(exportWindow({}, anchor, now)).toEqual({
      startAt: new Date("2026-03-15T12:34:00Z"),
      endAt: new Date("2026-04-15T12:34:00Z"),
      from: "2026-03-15",
      to: "2026-04-15",
    });
  });

  it("takes from and to as whole UTC days, inclusive", () => {
    expect(exportWindow({ from: "2026-02-01", to: "2026-02-28" }, anchor, now)).toEqual({
      startAt: new Date("2026-02-01T00:00:00Z"),
      endAt: new Date("2026-03-01T00:00:00Z"),
      from: "2026-02-01",
      to: "2026-02-28",
    });
    expect(exportWindow({ from: "2026-03-01" }, anchor, now).endAt).toEqual(new Date("2026-04-15T12:34:00Z"));
  });

  it("refuses from after to and a span over 366 days, and allows exactly 366", () => {
    const refusal = (query: { from?: string; to?: string }) => {
      try {
        exportWindow(query, anchor, now);
      } catch (error) {
        return error as ApiError;
      }
      return null;
    };
    expect(refusal({ from: "2026-03-02", to: "2026-03-01" })).toMatchObject({ code: "invalid_request", message: "from (2026-03-02) is after to (2026-03-01)." });
    expect(refusal({ from: "2026-05-01" })?.message).toMatch(/is after to/);
    expect(refusal({ from: "2024-01-01", to: "2024-12-31" })).toBeNull(); // a leap year: 366 days
    expect(refusal({ from: "2025-01-01", to: "2026-01-02" })?.message).toBe("An export covers at most 366 days; 2025-01-01 to 2026-01-02 is 367.");
  });

  it("splits into the partial days at either end and the whole days between", () => {
    expect(splitIntoDays({ startAt: new Date("2026-03-15T12:34:00Z"), endAt: new Date("2026-04-15T12:34:00Z") })).toEqual({
      head: { day: "2026-03-15", startAt: new Date("2026-03-15T12:34:00Z"), endAt: new Date("2026-03-16T00:00:00Z") },
      wholeDays: { first: "2026-03-16", last: "2026-04-14" },
      tail: { day: "2026-04-15", startAt: new Date("2026-04-15T00:00:00Z"), endAt: new Date("2026-04-15T12:34:00Z") },
    });
    expect(splitIntoDays({ startAt: new Date("2026-03-01T00:00:00Z"), endAt: new Date("2026-03-03T00:00:00Z") })).toEqual({
      head: null,
      wholeDays: { first: "2026-03-01", last: "2026-03-02" },
      tail: null,
    });
    expect(splitIntoDays({ startAt: new Date("2026-03-01T10:00:00Z"), endAt: new Date("2026-03-01T15:00:00Z") })).toEqual({
      head: { day: "2026-03-01", startAt: new Date("2026-03-01T10:00:00Z"), endAt: new Date("2026-03-01T15:00:00Z") },
      wholeDays: null,
      tail: null,
    });
    expect(splitIntoDays({ startAt: new Date("2026-03-01T10:00:00Z"), endAt: new Date("2026-03-02T05:00:00Z") })).toEqual({
      head: { day: "2026-03-01", startAt: new Date("2026-03-01T10:00:00Z"), endAt: new Date("2026-03-02T00:00:00Z") },
      wholeDays: null,
      tail: { day: "2026-03-02", startAt: new Date("2026-03-02T00:00:00Z"), endAt: new Date("2026-03-02T05:00:00Z") },
    });
  });
});

describe("the export query", () => {
  const params = (query: string) => new URLSearchParams(query);
  const refusal = (query: string) => {
    try {
      parseExportQuery(params(query));
    } catch (error) {
      return error as ApiError;
    }
    return null;
  };

  it("defaults to rows by day as CSV", () => {
    expect(parseExportQuery(params(""))).toEqual({ groupBy: "day", format: "csv" });
    expect(parseExportQuery(params("from=2026-02-01&to=2026-02-28&groupBy=member&format=json"))).toEqual({ from: "2026-02-01", to: "2026-02-28", groupBy: "member", format: "json" });
  });

  it("refuses bad dates, unknown groupings, formats and parameters, and a parameter given twice, saying which", () => {
    for (const [query, named] of [
      ["from=2026-02-30", "from"],
      ["to=2026-13-01", "to"],
      ["from=yesterday", "from"],
      ["from=1969-12-31", "from"],
      ["groupBy=week", "groupBy"],
      ["format=xml", "format"],
      ["limit=10", "limit"],
      ["from=2026-02-01&from=2026-02-02", "from"],
    ]) {
      const error = refusal(query);
      expect(error, query).toBeInstanceOf(ApiError);
      expect(error!.code).toBe("invalid_request");
      expect(error!.message, query).toContain(named);
    }
  });
});

describe("what each reader sees", () => {
  it("gives dollars (and the AI budget's rows) to the API key, admins and a preview org, and narrows users to themselves", () => {
    expect(readerScope({ kind: "apiKey" }, false)).toMatchObject({ dollars: true, ownUsageOf: null, memberRowsOf: null });
    expect(readerScope({ kind: "member", userId: "a", role: "super_admin" }, false)).toMatchObject({ dollars: true, ownUsageOf: null, memberRowsOf: null });
    expect(readerScope({ kind: "member", userId: "m", role: "manager" }, false)).toMatchObject({ dollars: false, ownUsageOf: null, memberRowsOf: "m" });
    const user = readerScope({ kind: "member", userId: "u", role: "user" }, false);
    expect(user).toMatchObject({ dollars: false, ownUsageOf: "u", memberRowsOf: "u" });
    expect(user.metrics).not.toContain("ai_budget");
    expect(readerScope({ kind: "member", userId: "u", role: "user" }, true)).toMatchObject({ dollars: true, ownUsageOf: "u" });
    expect(exportColumns("member", true).map((c) => c.name)).toEqual(["member_id", "member_email", "member_name", "metric", "unit", "quantity", "amount_usd"]);
    expect(exportColumns("day", false).map((c) => c.name)).toEqual(["date", "metric", "unit", "quantity"]);
  });
});
