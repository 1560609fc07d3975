import { USAGE_THRESHOLDS } from "@/lib/limits/thresholds";

/**
 * An independent statement of the alert rule, for checking the store's SQL
 * (ledgerline_crossings): the thresholds a counter crosses moving from
 * `before` to `after`; upwards they are raised, downwards resolved. Integer
 * arithmetic only, so the two agree exactly.
 */
export interface Crossing {
  threshold: number;
  state: "raised" | "resolved";
}

export function crossings(before: number, after: number, limit: number | null): Crossing[] {
  if (limit === null || limit <= 0 || before === after) return [];
  const state = after > before ? "raised" : "resolved";
  return Object.values(USAGE_THRESHOLDS).filter((t) => {
    const line = t * limit;
    return (before * 100 < line && after * 100 >= line) || (after * 100 < line && before * 100 >= line);
  }).map((threshold) => ({ threshold, state }));
}
