/** Usage alerts fire when a counter crosses these percentages of its limit. */
export const ALERT_THRESHOLDS = [80, 90, 100] as const;

export interface Crossing {
  threshold: number;
  state: "raised" | "resolved";
}

/**
 * The thresholds a counter crosses moving from `before` to `after`: upwards
 * they are raised, downwards resolved. Integer arithmetic only, so the store's
 * SQL twin (ledgerline_crossings) agrees exactly.
 */
export function crossings(before: number, after: number, limit: number | null): Crossing[] {
  if (limit === null || limit <= 0 || before === after) return [];
  const state = after > before ? "raised" : "resolved";
  return ALERT_THRESHOLDS.filter((t) => {
    const line = t * limit;
    return (before * 100 < line && after * 100 >= line) || (after * 100 < line && before * 100 >= line);
  }).map((threshold) => ({ threshold, state }));
}
