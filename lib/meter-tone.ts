/**
 * The colour a usage bar takes as it fills: blue below 80%, yellow from 80%,
 * orange from 90%, red at 100% and beyond. Colours are defined once in
 * app/globals.css as --color-meter-<tone>.
 */

import { USAGE_THRESHOLDS } from "@/lib/limits/thresholds";

export type MeterTone = "normal" | "warning" | "high" | "full";

export function meterTone(percent: number): MeterTone {
  if (percent >= USAGE_THRESHOLDS.full) return "full";
  if (percent >= USAGE_THRESHOLDS.high) return "high";
  if (percent >= USAGE_THRESHOLDS.warning) return "warning";
  return "normal";
}
