import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

/**
 * Non-text contrast (WCAG 1.4.11): every colour that carries meaning without
 * text keeps 3:1 against what it sits on. The colours are read from the one
 * block that defines them, so a palette change that breaks a pair fails here.
 */
const theme = readFileSync(new URL("../../app/globals.css", import.meta.url), "utf8");
const color = (name: string): string => {
  const hex = new RegExp(`--color-${name}:\\s*(#[0-9a-f]{6})`, "i").exec(theme)?.[1];
  if (!hex) throw new Error(`--color-${name} is not a #rrggbb colour in app/globals.css`);
  return hex;
};

/** Relative luminance and contrast ratio as WCAG 2 defines them. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

describe("non-text contrast of the usage palette", () => {
  it("measures as WCAG does", () => {
    expect(contrast("#000000", "#ffffff")).toBeCloseTo(21, 5);
    // The failing pairs found in the browser: the old switch track and yellow fill.
    expect(contrast("#cbd5e1", "#ffffff")).toBeLessThan(1.5);
    expect(contrast("#ca8a04", "#f1f5f9")).toBeLessThan(3);
  });

  it.each(["normal", "warning", "high", "full"])("the %s bar fill keeps 3:1 on its track", (tone) => {
    expect(contrast(color(`meter-${tone}`), color("meter-track"))).toBeGreaterThanOrEqual(3);
  });

  it.each(["switch-off", "switch-on"])("the Show $ switch's %s track keeps 3:1 on the card", (state) => {
    expect(contrast(color(state), color("card"))).toBeGreaterThanOrEqual(3);
  });
});
