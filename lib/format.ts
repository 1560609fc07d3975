/**
 * Numbers and dates for people: 1.2K, 3.4 GB, $12.34, "Dec 31". Pure and
 * free of server imports, so client charts format their axes with it too.
 * Dates are shown in UTC, the time billing periods are computed in.
 */

import type { Unit } from "@/lib/limits/metrics";

const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });
const usd = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", minimumFractionDigits: 2, maximumFractionDigits: 2 });
const shortDate = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", timeZone: "UTC" });
const shortMonth = new Intl.DateTimeFormat("en-US", { month: "short", timeZone: "UTC" });
const clockTime = new Intl.DateTimeFormat("en-US", { hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23", timeZone: "UTC" });

/** 950, 1.2K, 26.5K, 4.2M. */
export function formatCount(value: number): string {
  return compact.format(value);
}

const BYTE_UNITS = ["B", "KB", "MB", "GB", "TB", "PB"];

/** Decimal units, as the plan catalog counts them: 21.3 GB, 1 TB. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1000 && unit < BYTE_UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const rounded = Math.round(value * 10) / 10;
  return `${rounded.toLocaleString("en-US", { maximumFractionDigits: 1 })} ${BYTE_UNITS[unit]}`;
}

/** Micro-dollars as dollars and cents: 12_340_000 -> "$12.34". */
export function formatMicros(micros: number): string {
  return usd.format(micros / 1_000_000);
}

/**
 * Whole percent, rounded down so that a meter never reads 100% before it is
 * full; a sliver of use reads "<1%" rather than "0%".
 */
export function formatPercent(percent: number): string {
  if (percent > 0 && percent < 1) return "<1%";
  return `${Math.floor(percent)}%`;
}

/** A metric's quantity in its own unit. Money is never formatted here: it goes through formatMicros, for the viewers allowed to see it. */
export function formatQuantity(value: number, unit: Exclude<Unit, "micros">): string {
  return unit === "bytes" ? formatBytes(value) : formatCount(value);
}

/** "Dec 31" */
export function formatShortDate(iso: string | Date): string {
  return shortDate.format(new Date(iso));
}

/** "14:32:05 UTC" */
export function formatClockTime(iso: string | Date): string {
  return `${clockTime.format(new Date(iso))} UTC`;
}

/** "Jun" */
export function formatMonth(iso: string | Date): string {
  return shortMonth.format(new Date(iso));
}
