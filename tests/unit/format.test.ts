import { describe, expect, it } from "vitest";
import { formatBytes, formatCount, formatMicros, formatMonth, formatPercent, formatShortDate } from "@/lib/format";
import { meterTone } from "@/lib/meter-tone";

describe("formatters", () => {
  it("counts compactly", () => {
    expect(formatCount(950)).toBe("950");
    expect(formatCount(1_200)).toBe("1.2K");
    expect(formatCount(26_500)).toBe("26.5K");
    expect(formatCount(25_000)).toBe("25K");
    expect(formatCount(4_200_000)).toBe("4.2M");
  });

  it("bytes in decimal units, as plans count them", () => {
    expect(formatBytes(3.4e9)).toBe("3.4 GB");
    expect(formatBytes(21.3e9)).toBe("21.3 GB");
    expect(formatBytes(1e12)).toBe("1 TB");
    expect(formatBytes(200e6)).toBe("200 MB");
    expect(formatBytes(0)).toBe("0 B");
  });

  it("money from micro-dollars, with cents", () => {
    expect(formatMicros(12_340_000)).toBe("$12.34");
    expect(formatMicros(1_910_000_000)).toBe("$1,910.00");
    expect(formatMicros(0)).toBe("$0.00");
  });

  it("percent never claims 100% early", () => {
    expect(formatPercent(99.6)).toBe("99%");
    expect(formatPercent(100)).toBe("100%");
    expect(formatPercent(106)).toBe("106%");
    expect(formatPercent(0.4)).toBe("<1%");
    expect(formatPercent(0)).toBe("0%");
  });

  it("dates in UTC", () => {
    expect(formatShortDate("2026-12-31T00:00:00Z")).toBe("Dec 31");
    expect(formatShortDate("2026-12-31T23:30:00Z")).toBe("Dec 31");
    expect(formatMonth("2026-06-15T00:00:00Z")).toBe("Jun");
  });
});

describe("meter tones", () => {
  it("blue below 80, yellow from 80, orange from 90, red from 100", () => {
    expect(meterTone(0)).toBe("normal");
    expect(meterTone(79.9)).toBe("normal");
    expect(meterTone(80)).toBe("warning");
    expect(meterTone(89.9)).toBe("warning");
    expect(meterTone(90)).toBe("high");
    expect(meterTone(99.9)).toBe("high");
    expect(meterTone(100)).toBe("full");
    expect(meterTone(106)).toBe("full");
  });
});
