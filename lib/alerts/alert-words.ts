import { billingPeriodFor } from "@/lib/billing-cycle";
import { formatBytes, formatMicros, formatPercent, formatShortDate } from "@/lib/format";
import { percentUsed, SOFT_CAP_CEILING_PERCENT } from "@/lib/limits/cap-policy";
import { isMetricId, METRICS } from "@/lib/limits/metrics";
import { forecastUsage } from "@/lib/usage-forecast";

/** A usage alert as stored, in plain values. */
export interface AlertFacts {
  /** '' for the org's meter, else the member whose allocation it is. */
  userId: string;
  metric: string;
  periodStart: Date;
  threshold: number;
  state: "raised" | "resolved";
  cause: "usage" | "period_reset";
  used: number;
  limit: number;
  /** When it was raised and when its cycle ends: a warning then says where the cycle's pace leads. */
  pace?: AlertPace;
}

export interface AlertPace {
  raisedAt: Date;
  periodEnd: Date;
}

/** The pace facts of a stored alert, from its org's billing anchor. */
export function alertPace(alert: { periodStart: Date; createdAt: Date }, billingAnchor: Date): AlertPace {
  return { raisedAt: alert.createdAt, periodEnd: billingPeriodFor(billingAnchor, alert.periodStart).end };
}

export interface AlertWords {
  title: string;
  detail: string;
}

export interface Audience {
  /** The member's name as the reader knows it, or "you" when the reader is that member. */
  memberName: string | null;
  /** Dollar amounts only for readers allowed to see them; the rest read percentages. */
  showDollars: boolean;
}

const metricLabel = (metric: string) => (isMetricId(metric) ? METRICS[metric].label : metric);

function subject(alert: AlertFacts, audience: Audience): string {
  const label = alert.metric === "ai_budget" ? "AI budget" : metricLabel(alert.metric);
  if (!alert.userId) return alert.metric === "ai_budget" ? "The AI budget" : label;
  if (audience.memberName === "you") return `Your ${label} allocation`;
  return `${audience.memberName ?? alert.userId}'s ${label} allocation`;
}

function amounts(alert: AlertFacts, audience: Audience): string {
  if (alert.metric === "ai_budget") {
    return audience.showDollars
      ? `${formatMicros(alert.used)} of ${formatMicros(alert.limit)}`
      : `${formatPercent(percentUsed(alert.used, alert.limit))} used`;
  }
  // Exact counts: an alert is read for its numbers, and "10K of 10K" hides how close it is.
  const format = isMetricId(alert.metric) && METRICS[alert.metric].unit === "bytes" ? formatBytes : (n: number) => n.toLocaleString("en-US");
  return `${format(alert.used)} of ${format(alert.limit)}`;
}

/** For a warning (under 100%) on a resetting meter: the forecast at the moment it was raised. */
function outlook(alert: AlertFacts): string {
  const cumulative = isMetricId(alert.metric) && METRICS[alert.metric].cumulative;
  if (!alert.pace || cumulative) return "";
  const period = { start: alert.periodStart, end: alert.pace.periodEnd };
  // An alert recorded outside its own cycle (written after the cycle ended) has no pace to tell.
  if (alert.pace.raisedAt < period.start || alert.pace.raisedAt >= period.end) return "";
  const forecast = forecastUsage({ used: alert.used, limit: alert.limit, period, now: alert.pace.raisedAt });
  if (!forecast) return "";
  return forecast.reachesLimitOn
    ? ` At this pace it reaches 100% around ${formatShortDate(forecast.reachesLimitOn)}.`
    : " At this pace it stays under the limit this cycle.";
}

function consequence(alert: AlertFacts): string {
  if (alert.threshold < 100) return outlook(alert);
  if (alert.userId) return " Further requests against this allocation answer 429 until an admin raises it or the cycle resets.";
  const capKind = isMetricId(alert.metric) ? METRICS[alert.metric].capKind : "hard";
  return capKind === "soft"
    ? ` This is a soft cap: requests are refused past ${SOFT_CAP_CEILING_PERCENT}%.`
    : " Further requests answer 429 until the cycle resets or the plan is upgraded.";
}

/** An alert in words for one reader: the notification list and the admins' email share it. */
export function describeAlert(alert: AlertFacts, audience: Audience): AlertWords {
  const what = subject(alert, audience);
  if (alert.state === "raised") {
    return { title: `${what} reached ${alert.threshold}%`, detail: `${amounts(alert, audience)}.${consequence(alert)}`.trim() };
  }
  if (alert.cause === "period_reset") {
    return {
      title: `${what}: new billing cycle`,
      detail: `The ${alert.threshold}% alert of the cycle that began ${formatShortDate(alert.periodStart)} is cleared: usage starts again from zero.`,
    };
  }
  return { title: `${what} is back below ${alert.threshold}%`, detail: `${amounts(alert, audience)}.` };
}
