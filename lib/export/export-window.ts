import { ApiError } from "@/lib/api/errors";
import { MAX_EXPORT_DAYS } from "@/lib/api/schemas";
import { billingPeriodFor } from "@/lib/billing-cycle";

const DAY_MS = 86_400_000;

/** The instants an export covers, [startAt, endAt), and the UTC days they fall on (to inclusive). */
export interface ExportWindow {
  startAt: Date;
  endAt: Date;
  from: string;
  to: string;
}

export const isoDay = (at: Date) => at.toISOString().slice(0, 10);
const dayStart = (day: string) => new Date(`${day}T00:00:00.000Z`);
const floorDay = (at: Date) => new Date(Math.floor(at.getTime() / DAY_MS) * DAY_MS);
const ceilDay = (at: Date) => new Date(Math.ceil(at.getTime() / DAY_MS) * DAY_MS);

/**
 * What an export covers. A given `from` starts at that UTC day's midnight and
 * a given `to` ends at the next one. A bound left out is the current billing
 * cycle's, to the instant: the cycle starts at the anchor's time of day, and
 * usage earlier that day belongs to the cycle before, so an export of the
 * cycle adds up to exactly what the Usage page shows for it.
 */
export function exportWindow(query: { from?: string; to?: string }, anchor: Date, now: Date): ExportWindow {
  const cycle = billingPeriodFor(anchor, now);
  const startAt = query.from ? dayStart(query.from) : cycle.start;
  const endAt = query.to ? new Date(dayStart(query.to).getTime() + DAY_MS) : cycle.end;
  const from = isoDay(startAt);
  const to = isoDay(new Date(endAt.getTime() - 1));
  if (startAt >= endAt) {
    throw new ApiError("invalid_request", `from (${from}) is after to (${to}).`, { from, to });
  }
  const days = Math.round((dayStart(to).getTime() - dayStart(from).getTime()) / DAY_MS) + 1;
  if (days > MAX_EXPORT_DAYS) {
    throw new ApiError("invalid_request", `An export covers at most ${MAX_EXPORT_DAYS} days; ${from} to ${to} is ${days}.`, { from, to, days, maxDays: MAX_EXPORT_DAYS });
  }
  return { startAt, endAt, from, to };
}

/** A stretch of instants within one UTC day. */
export interface PartialDay {
  day: string;
  startAt: Date;
  endAt: Date;
}

/**
 * A window as the daily rollups can serve it: the whole UTC days inside it
 * (first and last inclusive, or null when there is none), and the partial days
 * at either end, which only the ledger can cut at an instant. The head comes
 * before the whole days and the tail after them.
 */
export function splitIntoDays({ startAt, endAt }: Pick<ExportWindow, "startAt" | "endAt">): {
  head: PartialDay | null;
  wholeDays: { first: string; last: string } | null;
  tail: PartialDay | null;
} {
  const firstWhole = ceilDay(startAt);
  const endWhole = floorDay(endAt);
  const head = startAt < firstWhole ? { day: isoDay(startAt), startAt, endAt: firstWhole < endAt ? firstWhole : endAt } : null;
  const tailStart = endWhole > firstWhole ? endWhole : firstWhole;
  const tail = tailStart < endAt ? { day: isoDay(tailStart), startAt: tailStart, endAt } : null;
  const wholeDays = firstWhole < endWhole ? { first: isoDay(firstWhole), last: isoDay(new Date(endWhole.getTime() - DAY_MS)) } : null;
  return { head, wholeDays, tail };
}
