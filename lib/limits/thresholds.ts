/**
 * The percentages of a limit that matter: bars turn yellow, orange and red
 * there (lib/meter-tone.ts), and usage alerts fire when a counter crosses them.
 */
export const USAGE_THRESHOLDS = { warning: 80, high: 90, full: 100 } as const;
export const ALERT_THRESHOLDS = [USAGE_THRESHOLDS.warning, USAGE_THRESHOLDS.high, USAGE_THRESHOLDS.full] as const;

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
