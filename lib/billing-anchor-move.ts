import { billingPeriodFor } from "./billing-cycle";

/**
 * What happens to an org's counters when Stripe reports a new billing anchor.
 *
 * Counters are keyed by the start of the billing period, and the period comes
 * from the anchor alone, so storing a new anchor silently chooses which counter
 * row the next request lands in. One rule keeps that honest: the org's period
 * start only ever moves forward. Then a row the org has left is never written
 * again, and no unit of usage can count against two periods.
 *
 * - same_period: the new anchor's period containing `now` starts exactly where
 *   the live one does (e.g. the same day of month a year later). The live row
 *   carries on; nothing is granted or lost.
 * - fresh_period: it starts after every period the org has counted in (Stripe
 *   reset the anchor, typically to "now", and billed a new period). The next
 *   request opens a new row at zero; the old row keeps what was used before.
 * - deferred: it would start at or before a period the org has already counted
 *   in, i.e. reopen an older row or re-cover usage already counted. The anchor
 *   is not moved; the live period runs on until Stripe's next boundary, when
 *   the renewal's customer.subscription.updated proposes the anchor again and it
 *   lands as fresh_period. That boundary never comes after the old anchor's
 *   own next reset, so the org gets no extra reset meanwhile.
 */
export type AnchorMove =
  | { kind: "unchanged" }
  | { kind: "same_period"; anchor: Date; periodStart: Date }
  | { kind: "fresh_period"; anchor: Date; periodStart: Date }
  | { kind: "deferred"; proposedPeriodStart: Date };

export interface AnchorMoveInput {
  current: Date;
  proposed: Date;
  /** The newest period_start among the org's resetting counters; null when it has none. */
  newestPeriodStart: Date | null;
  now: Date;
}

export function decideAnchorMove({ current, proposed, newestPeriodStart, now }: AnchorMoveInput): AnchorMove {
  if (proposed.getTime() === current.getTime()) return { kind: "unchanged" };
  const live = billingPeriodFor(current, now).start;
  const next = billingPeriodFor(proposed, now).start;
  if (next.getTime() === live.getTime()) return { kind: "same_period", anchor: proposed, periodStart: next };
  const newest = Math.max(live.getTime(), newestPeriodStart?.getTime() ?? 0);
  if (next.getTime() > newest) return { kind: "fresh_period", anchor: proposed, periodStart: next };
  return { kind: "deferred", proposedPeriodStart: next };
}
