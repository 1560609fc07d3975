import type { MeterTone } from "@/lib/meter-tone";

// Spelled out in full so Tailwind sees every class it must generate.
export const TONE_FILL: Record<MeterTone, string> = {
  normal: "bg-meter-normal",
  warning: "bg-meter-warning",
  high: "bg-meter-high",
  full: "bg-meter-full",
};

/** The same colours for SVG strokes and fills (sparklines). */
export const TONE_COLOR: Record<MeterTone, string> = {
  normal: "var(--color-meter-normal)",
  warning: "var(--color-meter-warning)",
  high: "var(--color-meter-high)",
  full: "var(--color-meter-full)",
};
