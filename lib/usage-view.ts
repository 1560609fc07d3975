import { USAGE_LIMITS_PATH } from "@/lib/admin/paths";
import { canManagePlan, canSeeDollars, isAdmin, type Role } from "@/lib/auth/roles";
import { formatCount, formatMicros, formatMonth, formatPercent, formatQuantity, formatShortDate } from "@/lib/format";
import { ceilingFor, percentUsed, SOFT_CAP_OVERAGE } from "@/lib/limits/cap-policy";
import { METER_GROUPS, METRICS, type CapKind, type MetricId } from "@/lib/limits/metrics";
import { PLANS, type Limit } from "@/lib/limits/plans";
import type { Meter, MemberUsage, UsageSnapshot } from "@/lib/metering/snapshot";
import { meterTone, type MeterTone } from "@/lib/meter-tone";
import { planHighlights } from "@/lib/plan-highlights";
import { listPrice, type ListPrice } from "@/lib/plan-price";
import { ADMIN_BILLING_PATH, mayAskToUpgrade, upgradeHref } from "@/lib/plan-upgrade";
import { forecastUsage, type Forecast } from "@/lib/usage-forecast";

/**
 * The Usage page's view model: everything its components show, already worded
 * and formatted, and nothing they must not show. Micro-dollar amounts become
 * percentages here; dollar strings exist only under `dollars` keys, which are
 * null unless the viewer may see dollars. Components never receive the
 * snapshot itself, so nothing else can reach a browser.
 */

export interface Viewer {
  userId: string;
  role: Role;
}

export type QuantityUnit = "count" | "bytes";

export interface BarView {
  /** Percent of the limit; passes 100 on soft caps. */
  percent: number;
  label: string;
  tone: MeterTone;
}

export interface AiFeatureView {
  feature: string;
  label: string;
  /** Generic tier label (Advanced Reasoning, Standard, Fast, Light). */
  tier: string | null;
  /** Percent of this cycle's AI spend. */
  share: number;
  shareLabel: string;
}

export interface AiPanelView {
  /** Null when the org's AI pool is unlimited. */
  bar: BarView | null;
  resetsOn: string;
  features: AiFeatureView[];
  /** The prepaid credit balance as a share of the monthly pool; null without credits. */
  credits: { label: string } | null;
  /** Set when AI access is paused for a failed payment. */
  paused: { viewerIsAdmin: boolean } | null;
  dollars: {
    used: string;
    limit: string | null;
    credits: string | null;
    /** "$5.00 expires Dec 31": the credits that expire first. */
    creditsExpiring: string | null;
    byFeature: Record<string, string>;
    forecast: string | null;
  } | null;
  /** "3 AI requests blocked this cycle": refused because the pool and credits ran out; null when none. */
  blocked: string | null;
  /** "At this pace the AI pool runs out around Dec 18", or "On track: ..."; null without a forecast. */
  forecast: string | null;
}

export interface PlanCardView {
  name: string;
  intervalLabel: string;
  price: ListPrice;
  included: string[];
  /** Upgrade, for those who can change the plan (admins); everyone else gets askToUpgrade. */
  upgradeHref: string | null;
  /** The org to ask for "Ask an admin to upgrade"; null where it does not apply. */
  askToUpgrade: { orgId: string } | null;
  manageHref: string | null;
}

export interface MeterView {
  metric: string;
  label: string;
  used: string;
  limit: string;
  unit: QuantityUnit;
  /** Null when nothing caps the metric. */
  bar: BarView | null;
  notes: string[];
  history: number[];
  /** The sparkline's data in words, for screen readers. */
  trend: string;
  /** "12 requests blocked this cycle" (429s at the org's cap); null when none. */
  blocked: string | null;
  forecast: string | null;
}

export interface MeterGroupView {
  id: string;
  title: string;
  note: string;
  resetsOn: string | null;
  meters: MeterView[];
}

export interface SeatsView {
  power: { used: number; limit: string };
  collaborator: { used: number; limit: string };
}

/** "pool_exhausted": the member's allocation has room, but the org pool it draws from is used up. */
export type PersonalStatus = "ok" | "nearly" | "exhausted" | "pool_exhausted";

export interface PersonalMeterView {
  metric: "ai_budget" | "enrichments";
  label: string;
  /** Against the member's allocation, or else the org pool. */
  basis: "allocation" | "pool";
  bar: BarView;
  /** The whole org's use of the pool, drawn behind the member's own when they share it. */
  poolPercent: number | null;
  detail: string;
  status: PersonalStatus;
  /** Against the member's own allocation only: the pool's forecast is the org's, shown above. */
  forecast: string | null;
}

export interface HistoryChartView {
  metric: string;
  label: string;
  unit: QuantityUnit;
  points: { month: string; value: number }[];
  latest: string;
}

/** One wall someone hit this cycle: the org's cap on a metric, or a member's own allocation. */
export interface BlockedRowView {
  key: string;
  who: string;
  what: string;
  count: number;
}

export interface UsageView {
  orgName: string;
  /** When the figures were read, for "Updated 14:32:05 UTC". */
  asOf: string;
  periodLabel: string;
  showDollars: boolean;
  ai: AiPanelView;
  plan: PlanCardView;
  meterGroups: MeterGroupView[];
  seats: SeatsView;
  myUsage: PersonalMeterView[] | null;
  /** Where admins change allocations; null for everyone else, who are told to ask an admin. */
  allocationsHref: string | null;
  /** Who hit walls this cycle, for admins only (null for everyone else), most blocked first. */
  blocked: BlockedRowView[] | null;
  history: { enough: boolean; charts: HistoryChartView[] };
}

/** History charts need this many billing periods with data to show a trend. */
export const MIN_HISTORY_PERIODS = 3;
const HISTORY_METRICS = ["emails_sent", "ai_tokens", "contacts", "storage_bytes"] as const;

/** The page for `viewer`, from a snapshot that lists at least them and every member refused this cycle (`{ viewer }`). */
export function toUsageView(snapshot: UsageSnapshot, viewer: Viewer): UsageView {
  const { org } = snapshot;
  const showDollars = canSeeDollars(viewer.role, org.previewFlag);
  const member = snapshot.members.find((m) => m.userId === viewer.userId);
  return {
    orgName: org.name,
    asOf: snapshot.asOf,
    periodLabel: cycleLabel(snapshot.period),
    showDollars,
    ai: aiPanel(snapshot, viewer, showDollars),
    plan: planCard(snapshot, viewer),
    meterGroups: METER_GROUPS.map((group) => ({
      ...group,
      resetsOn: group.id === "core" ? null : formatShortDate(snapshot.period.end),
      meters: snapshot.meters.filter((m) => m.group === group.id).map((m) => meterView(m, snapshot.period.end)),
    })),
    seats: seatsView(snapshot),
    myUsage: member ? personalMeters(snapshot, member) : null,
    allocationsHref: isAdmin(viewer.role) ? USAGE_LIMITS_PATH : null,
    blocked: isAdmin(viewer.role) ? blockedRows(snapshot) : null,
    history: historyView(snapshot),
  };
}

/** "Nov 30 – Dec 30": a billing cycle's first and last days. */
export function cycleLabel(period: UsageSnapshot["period"]): string {
  return `${formatShortDate(period.start)} – ${formatShortDate(new Date(Date.parse(period.end) - 1))}`;
}

const bar = (percent: number): BarView => ({ percent, label: formatPercent(percent), tone: meterTone(percent) });

function aiPanel(snapshot: UsageSnapshot, viewer: Viewer, showDollars: boolean): AiPanelView {
  const { ai, org } = snapshot;
  const spent = ai.byFeature.reduce((sum, f) => sum + f.spentMicros, 0);
  const limit = ai.limitMicros;
  const hasCredits = ai.creditBalanceMicros > 0;
  const poolForecast = (projected: (value: number) => string) =>
    forecastLine(ai.forecast, ai.usedMicros, limit, snapshot.period.end, { reaches: "the AI pool runs out", projected });
  return {
    bar: limit === null ? null : bar(ai.percent),
    resetsOn: formatShortDate(snapshot.period.end),
    features: ai.byFeature.map((f) => {
      const share = spent > 0 ? (f.spentMicros / spent) * 100 : 0;
      return { feature: f.feature, label: f.label, tier: f.tier, share, shareLabel: formatPercent(share) };
    }),
    credits: hasCredits
      ? { label: limit ? `${formatPercent(percentUsed(ai.creditBalanceMicros, limit))} of a monthly pool` : "Available" }
      : null,
    paused: org.aiPaused ? { viewerIsAdmin: isAdmin(viewer.role) } : null,
    dollars: showDollars
      ? {
          used: formatMicros(ai.usedMicros),
          limit: limit === null ? null : formatMicros(limit),
          credits: hasCredits ? formatMicros(ai.creditBalanceMicros) : null,
          creditsExpiring: ai.nextCreditExpiry && `${formatMicros(ai.nextCreditExpiry.amountMicros)} expires ${formatShortDate(ai.nextCreditExpiry.expiresAt)}`,
          byFeature: Object.fromEntries(ai.byFeature.map((f) => [f.feature, formatMicros(f.spentMicros)])),
          forecast: poolForecast((value) => `${formatMicros(value)} of ${formatMicros(limit!)}`),
        }
      : null,
    blocked: ai.blocked ? `${blockedCount(ai.blocked)} blocked this cycle` : null,
    forecast: poolForecast((value) => `${formatPercent(percentUsed(value, limit))} of the pool`),
  };
}

function planCard(snapshot: UsageSnapshot, viewer: Viewer): PlanCardView {
  const { org } = snapshot;
  return {
    name: org.planName,
    intervalLabel: org.plan === "free" ? "Free forever" : org.billingInterval === "year" ? "Billed annually" : "Billed monthly",
    price: listPrice(org.plan, org.billingInterval),
    included: planHighlights(org.plan),
    upgradeHref: isAdmin(viewer.role) ? upgradeHref(org.plan, org.subscriptionStatus) : null,
    askToUpgrade: mayAskToUpgrade(viewer.role, org.plan, org.subscriptionStatus) ? { orgId: org.id } : null,
    manageHref: canManagePlan(viewer.role) ? ADMIN_BILLING_PATH : null,
  };
}

const limitLabel = (limit: Limit, unit: QuantityUnit) => (limit === null ? "Unlimited" : formatQuantity(limit, unit));

function meterView(meter: Meter, periodEnd: string): MeterView {
  const unit: QuantityUnit = meter.unit === "bytes" ? "bytes" : "count";
  const capped = meter.limit !== null && meter.capKind !== "observe";
  return {
    metric: meter.metric,
    label: meter.label,
    used: formatQuantity(meter.used, unit),
    limit: meter.capKind === "observe" ? "Not capped" : limitLabel(meter.limit, unit),
    unit,
    bar: capped ? bar(meter.percent) : null,
    notes: [METER_HINTS[meter.metric], capNote(meter, unit, periodEnd)].filter((note): note is string => Boolean(note)),
    history: meter.history,
    trend: `Last six months: ${meter.history.map((v) => formatQuantity(v, unit)).join(", ")}`,
    blocked: meter.blocked ? `${blockedCount(meter.blocked)} blocked ${meter.cumulative ? "so far" : "this cycle"}` : null,
    forecast: forecastLine(meter.forecast, meter.used, meter.limit, periodEnd, {
      reaches: meter.capKind === "soft" ? "it reaches the soft cap" : "it reaches the limit",
      projected: (value) => `${formatQuantity(value, unit)} of ${formatQuantity(meter.limit!, unit)}`,
    }),
  };
}

/**
 * A forecast in words. Nothing once the limit is reached, which the meter
 * already says, and nothing before the cycle has a pace (see usage-forecast.ts).
 */
function forecastLine(
  forecast: Forecast | null,
  used: number,
  limit: Limit,
  periodEnd: string,
  words: { reaches: string; projected: (value: number) => string },
): string | null {
  if (!forecast || limit === null || used >= limit) return null;
  if (forecast.reachesLimitOn) return `At this pace ${words.reaches} around ${formatShortDate(forecast.reachesLimitOn)}`;
  return `On track: about ${words.projected(forecast.projectedUsed)} by ${formatShortDate(periodEnd)}`;
}

const blockedCount = (count: number) => `${count.toLocaleString("en-US")} ${count === 1 ? "request" : "requests"}`;

function blockedRows(snapshot: UsageSnapshot): BlockedRowView[] {
  const org = "Whole organization";
  const rows: BlockedRowView[] = [
    { key: "org:ai_budget", who: org, what: "AI budget", count: snapshot.ai.blocked },
    ...snapshot.meters.map((m) => ({ key: `org:${m.metric}`, who: org, what: m.label, count: m.blocked })),
    ...snapshot.members.flatMap((m) => [
      { key: `${m.userId}:ai_budget`, who: m.name, what: "AI allocation", count: m.ai.blocked },
      { key: `${m.userId}:enrichments`, who: m.name, what: "Enrichments allocation", count: m.enrichments.blocked },
    ]),
  ];
  return rows.filter((row) => row.count > 0).sort((a, b) => b.count - a.count);
}

const METER_HINTS: Partial<Record<MetricId, string>> = { emails_sent: "Counts every recipient of each email." };

/** Whether an org counter stands at the ceiling the store enforces for its cap, so its next use is refused. */
function atCeiling(capKind: CapKind, used: number, limit: Limit): boolean {
  const ceiling = ceilingFor(capKind, limit);
  return ceiling !== null && used >= ceiling;
}

function capNote(meter: Meter, unit: QuantityUnit, periodEnd: string): string | null {
  if (meter.capKind === "observe") return "Observability only: AI is enforced by dollar cost, not tokens.";
  if (meter.limit === null) return "No cap on this plan.";
  if (meter.capKind === "soft") {
    const ceiling = ceilingFor(meter.capKind, meter.limit)!;
    return `Soft cap: may run to ${Math.round((1 + SOFT_CAP_OVERAGE) * 100)}% (${formatQuantity(ceiling, unit)}) before it is enforced.`;
  }
  if (atCeiling(meter.capKind, meter.used, meter.limit)) {
    return meter.cumulative ? "Limit reached: upgrade or free up space to add more." : `Limit reached until it resets ${formatShortDate(periodEnd)}.`;
  }
  return null;
}

function seatsView(snapshot: UsageSnapshot): SeatsView {
  const seats = PLANS[snapshot.org.plan].seats;
  const limit = (value: Limit) => (value === null ? "unlimited" : String(value));
  return {
    power: { used: snapshot.seats.power, limit: limit(seats.power) },
    collaborator: { used: snapshot.seats.collaborator, limit: limit(seats.collaborator) },
  };
}

function personalMeters(snapshot: UsageSnapshot, member: MemberUsage): PersonalMeterView[] {
  const enrichments = snapshot.meters.find((m) => m.metric === "enrichments")!;
  // A used-up AI pool refuses the next call only once prepaid credits are gone too.
  const aiPoolBlocked = atCeiling(METRICS.ai_budget.capKind, snapshot.ai.usedMicros, snapshot.ai.limitMicros) && snapshot.ai.creditBalanceMicros <= 0;
  const enrichmentsPoolBlocked = atCeiling(enrichments.capKind, enrichments.used, enrichments.limit);
  return [
    personalMeter(snapshot, "ai_budget", METRICS.ai_budget.label, member.ai.usedMicros, member.ai.allocationMicros, snapshot.ai.limitMicros, snapshot.ai.percent, aiPoolBlocked, null),
    personalMeter(snapshot, "enrichments", "Enrichments", member.enrichments.used, member.enrichments.allocation, enrichments.limit, enrichments.percent, enrichmentsPoolBlocked, "enrichments"),
  ];
}

/**
 * One My Usage meter. `noun` words the counts for countable metrics; the AI
 * budget is money, so it is worded in percentages only. Against an allocation
 * it forecasts the member's own pace, worded the same way; against the pool
 * the org's forecast, shown above, is the one that counts.
 */
function personalMeter(
  snapshot: UsageSnapshot,
  metric: PersonalMeterView["metric"],
  label: string,
  used: number,
  allocation: number | null,
  poolLimit: Limit,
  poolPercent: number,
  poolBlocked: boolean,
  noun: string | null,
): PersonalMeterView {
  if (allocation !== null) {
    const percent = percentUsed(used, allocation);
    const own: PersonalStatus = percent >= 100 ? "exhausted" : meterTone(percent) === "normal" ? "ok" : "nearly";
    const status = own !== "exhausted" && poolBlocked ? "pool_exhausted" : own;
    const share = (value: number) => (noun ? `${formatCount(value)} of ${formatCount(allocation)} ${noun}` : `${formatPercent(percentUsed(value, allocation))} of your allocation`);
    const period = { start: new Date(snapshot.period.start), end: new Date(snapshot.period.end) };
    const forecast = forecastUsage({ used, limit: allocation, period, now: new Date(snapshot.asOf) });
    return {
      metric,
      label,
      basis: "allocation",
      bar: bar(percent),
      poolPercent: null,
      detail: share(used),
      status,
      forecast: status === "pool_exhausted" ? null : forecastLine(forecast, used, allocation, snapshot.period.end, { reaches: "your allocation runs out", projected: share }),
    };
  }
  const percent = percentUsed(used, poolLimit);
  const tone = meterTone(poolPercent);
  return {
    metric,
    label,
    basis: "pool",
    bar: { ...bar(percent), tone },
    poolPercent: poolLimit === null ? null : poolPercent,
    detail: `You ${formatPercent(percent)} · whole organization ${poolLimit === null ? "unlimited" : formatPercent(poolPercent)}`,
    status: poolBlocked ? "pool_exhausted" : tone === "normal" ? "ok" : "nearly",
    forecast: null,
  };
}

/**
 * A billing period is named for the month it mostly falls in: a cycle from
 * Oct 31 to Nov 30 is November's. Its middle, half a month in, says which.
 */
const monthOf = (periodStart: string) => formatMonth(new Date(Date.parse(periodStart) + 15 * 86_400_000));

function historyView(snapshot: UsageSnapshot): UsageView["history"] {
  const charted = HISTORY_METRICS.map((id) => snapshot.meters.find((m) => m.metric === id)!);
  const periodsWithData = snapshot.historyPeriods.filter((_, i) => charted.some((m) => m.history[i] > 0)).length;
  return {
    enough: periodsWithData >= MIN_HISTORY_PERIODS,
    charts: charted.map((meter) => {
      const unit: QuantityUnit = meter.unit === "bytes" ? "bytes" : "count";
      return {
        metric: meter.metric,
        label: meter.label,
        unit,
        points: meter.history.map((value, i) => ({ month: monthOf(snapshot.historyPeriods[i]), value })),
        latest: formatQuantity(meter.history.at(-1) ?? 0, unit),
      };
    }),
  };
}
