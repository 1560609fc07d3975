/**
 * The percentages of a limit that matter: bars turn yellow, orange and red
 * there (lib/meter-tone.ts), and usage alerts fire when a counter crosses them
 * (the store's ledgerline_crossings; tests/support/crossings-oracle.ts is its
 * independent twin).
 */
export const USAGE_THRESHOLDS = { warning: 80, high: 90, full: 100 } as const;

/** The thresholds as people read them: "80%, 90% and 100%". */
export const USAGE_THRESHOLD_WORDS = (() => {
  const words = Object.values(USAGE_THRESHOLDS).map((t) => `${t}%`);
  return `${words.slice(0, -1).join(", ")} and ${words.at(-1)}`;
})();
