import { storedOrg } from "@/lib/db/stored-values";
import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import { ApiError } from "@/lib/api/errors";
import { billingPeriodFor, CUMULATIVE_PERIOD_START, recentPeriods, startOfUtcDay } from "@/lib/billing-cycle";
import { AI_FEATURE_LABELS, AI_FEATURES, AI_TIER_LABELS, type AiFeature, type AiTier } from "@/lib/limits/ai-models";
import { percentUsed } from "@/lib/limits/cap-policy";
import { METRICS, METRIC_IDS, type CapKind, type MeterGroup, type MetricId, type Unit } from "@/lib/limits/metrics";
import { limitFor, PLANS, type Limit, type LimitOverrides, type PlanId } from "@/lib/limits/plans";
import { pageOffset } from "@/lib/pagination";
import { forecastUsage, type Forecast } from "@/lib/usage-forecast";
import { countSeats, type SeatCount, type SeatType } from "@/lib/admin/seats";
import { soonestExpiringCredits } from "./credit-grants";

export const HISTORY_MONTHS = 6;

export interface Meter {
  metric: MetricId;
  label: string;
  group: MeterGroup;
  capKind: CapKind;
  unit: Unit;
  cumulative: boolean;
  used: number;
  limit: Limit;
  percent: number;
  resetsAt: string | null;
  /** The last six billing periods, oldest first: totals for resetting metrics, levels for cumulative ones. */
  history: number[];
  /** Requests the org's cap refused (429): this cycle, or since the start for cumulative metrics. */
  blocked: number;
  /** Where the cycle ends at this pace; null for cumulative or uncapped metrics and early in a cycle. */
  forecast: Forecast | null;
}

export interface FeatureSpend {
  feature: AiFeature;
  label: string;
  /** The tier that carried most of this feature's spend; a generic label, never a model name. */
  tier: string | null;
  spentMicros: number;
}

export interface MemberUsage {
  userId: string;
  name: string;
  email: string;
  role: string;
  seatType: string;
  /** `blocked`: this cycle's requests refused by the member's own allocation (429). */
  ai: { usedMicros: number; allocationMicros: number | null; blocked: number };
  enrichments: { used: number; allocation: number | null; blocked: number };
}

export interface UsageSnapshot {
  org: {
    id: string;
    name: string;
    plan: PlanId;
    planName: string;
    billingInterval: "month" | "year";
    subscriptionStatus: string;
    aiPaused: boolean;
    previewFlag: boolean;
    monthlyPriceMicros: number;
    annualPriceMicros: number;
  };
  /** The instant the snapshot was read: the forecasts' "now" and the page's "last updated". */
  asOf: string;
  period: { start: string; end: string };
  ai: {
    limitMicros: Limit;
    usedMicros: number;
    heldMicros: number;
    percent: number;
    creditBalanceMicros: number;
    byFeature: FeatureSpend[];
    /** AI calls refused this cycle because the pool and credits were used up (429). */
    blocked: number;
    /** The pool at this pace (credits aside); null when unlimited or early in a cycle. */
    forecast: Forecast | null;
    /** The credits that expire first (all grants expiring at that instant); null when none expire. */
    nextCreditExpiry: { amountMicros: number; expiresAt: string } | null;
  };
  meters: Meter[];
  /** The members the scope asked for, in the order they joined (see MemberScope). */
  members: MemberUsage[];
  /** Every member of the org, whatever `members` lists. */
  memberCount: number;
  /** Seats members take, by type (open invitations aside). */
  seats: { power: number; collaborator: number };
  historyPeriods: string[];
}

/**
 * Which members a snapshot lists: every one (GET /api/v1/usage), one page of them (Admin > Usage &
 * Limits), or the ones the Usage page shows (the viewer and every member refused this cycle). The
 * counts cover every member either way, so the pages of an org of 10,000 members read a page of
 * member rows, not 10,000.
 */
export type MemberScope = { every: true } | { page: number; pageSize: number } | { viewer: string };

const num = (value: bigint | number | null | undefined) => Number(value ?? 0);

interface MembershipRow {
  user_id: string;
  name: string;
  email: string;
  role: string;
  seat_type: string;
  ai_allocation_micros: bigint | null;
  enrichment_allocation: bigint | null;
  ai_used: bigint | null;
  ai_blocked: bigint | null;
  enrichments_used: bigint | null;
  enrichments_blocked: bigint | null;
}

/** One consistent read of everything the Usage page and GET /api/v1/usage show. */
export async function getUsageSnapshot(db: PrismaClient, orgId: string, now = new Date(), scope: MemberScope = { every: true }): Promise<UsageSnapshot> {
  const stored = await db.org.findUnique({ where: { id: orgId } });
  if (!stored) throw new ApiError("not_found", "Organization not found.");
  const org = storedOrg(stored);
  const overrides = (org.limitOverrides ?? {}) as LimitOverrides;
  const period = billingPeriodFor(org.billingAnchor, now);
  const periods = recentPeriods(org.billingAnchor, now, HISTORY_MONTHS);
  const firstDay = periods[0].start;

  // The org's own counters over the history; members' (one row each below) only for this cycle,
  // so listing every member of an org of 10,000 reads 10,000 member rows, not six months of their counters.
  const [orgCounters, cumulativeBefore, daily, features, { memberships, memberCount, seats }, credits, nextExpiry] = await Promise.all([
    db.$queryRaw<{ metric: string; period_start: Date; used: bigint; held: bigint; blocked: bigint }[]>`
      SELECT metric, period_start, used, held, blocked FROM usage_counters
      WHERE org_id = ${orgId} AND user_id = '' AND (period_start >= ${firstDay} OR period_start = ${CUMULATIVE_PERIOD_START})`,
    db.$queryRaw<{ metric: string; total: bigint }[]>`
      SELECT metric, SUM(quantity) AS total FROM usage_daily
      WHERE org_id = ${orgId} AND metric IN ('contacts', 'companies', 'storage_bytes') AND day < ${firstDay}::date
      GROUP BY metric`,
    db.$queryRaw<{ metric: string; day: Date; quantity: bigint }[]>`
      SELECT metric, day, quantity FROM usage_daily
      WHERE org_id = ${orgId} AND metric IN ('contacts', 'companies', 'storage_bytes') AND day >= ${firstDay}::date`,
    db.$queryRaw<{ feature: string; tier: string; spent: bigint }[]>`
      SELECT feature, tier, spent_micros AS spent FROM ai_spend WHERE org_id = ${orgId} AND period_start = ${period.start}`,
    scopedMembers(db, org, period.start, scope, now),
    db.creditAccount.findUnique({ where: { orgId } }),
    soonestExpiringCredits(db, orgId, now),
  ]);

  const countersByKey = new Map(orgCounters.map((c) => [`${c.metric}\u0000${c.period_start.getTime()}`, c]));
  const counterOf = (metric: string, start: Date) => countersByKey.get(`${metric}\u0000${start.getTime()}`);

  const cumulativeHistory = (metric: MetricId) => {
    let level = num(cumulativeBefore.find((row) => row.metric === metric)?.total);
    const rows = daily.filter((row) => row.metric === metric);
    return periods.map((p) => {
      level += rows.filter((row) => row.day >= startOfUtcDay(p.start) && row.day < startOfUtcDay(p.end)).reduce((sum, row) => sum + num(row.quantity), 0);
      return level;
    });
  };

  const meters: Meter[] = METRIC_IDS.filter((id) => id !== "ai_budget").map((metric) => {
    const cumulative = METRICS[metric].cumulative;
    const counter = counterOf(metric, cumulative ? CUMULATIVE_PERIOD_START : period.start);
    const used = num(counter?.used);
    const limit = limitFor(org.plan, metric, overrides);
    const forecastable = !cumulative && METRICS[metric].capKind !== "observe";
    return meterOf(metric, {
      used,
      limit,
      resetsAt: cumulative ? null : period.end.toISOString(),
      history: cumulative ? cumulativeHistory(metric) : periods.map((p) => num(counterOf(metric, p.start)?.used)),
      blocked: num(counter?.blocked),
      forecast: forecastable ? forecastUsage({ used, limit, period, now }) : null,
    });
  });

  const pool = counterOf("ai_budget", period.start);
  const aiLimit = limitFor(org.plan, "ai_budget", overrides);
  const usedMicros = num(pool?.used);

  return {
    org: {
      id: org.id,
      name: org.name,
      plan: org.plan,
      planName: PLANS[org.plan].name,
      billingInterval: org.billingInterval,
      subscriptionStatus: org.subscriptionStatus,
      aiPaused: org.aiPaused,
      previewFlag: org.previewFlag,
      monthlyPriceMicros: PLANS[org.plan].monthlyPriceMicros,
      annualPriceMicros: PLANS[org.plan].annualPriceMicros,
    },
    asOf: now.toISOString(),
    period: { start: period.start.toISOString(), end: period.end.toISOString() },
    ai: {
      limitMicros: aiLimit,
      usedMicros,
      heldMicros: num(pool?.held),
      percent: percentUsed(usedMicros, aiLimit),
      creditBalanceMicros: num(credits?.balanceMicros),
      byFeature: AI_FEATURES.map((feature) => featureSpend(feature, features.filter((f) => f.feature === feature))),
      blocked: num(pool?.blocked),
      forecast: forecastUsage({ used: usedMicros, limit: aiLimit, period, now }),
      nextCreditExpiry: nextExpiry && { amountMicros: nextExpiry.amountMicros, expiresAt: nextExpiry.expiresAt.toISOString() },
    },
    meters,
    members: memberships.map((m) => ({
      userId: m.user_id,
      name: m.name,
      email: m.email,
      role: m.role,
      seatType: m.seat_type,
      ai: { usedMicros: num(m.ai_used), allocationMicros: m.ai_allocation_micros === null ? null : num(m.ai_allocation_micros), blocked: num(m.ai_blocked) },
      enrichments: { used: num(m.enrichments_used), allocation: m.enrichment_allocation === null ? null : num(m.enrichment_allocation), blocked: num(m.enrichments_blocked) },
    })),
    memberCount,
    seats,
    historyPeriods: periods.map((p) => p.start.toISOString()),
  };
}

/**
 * The members `scope` lists with this cycle's AI and enrichment counters, and the seats they take
 * (countSeats, as Admin > Members counts them). Only a page needs the count before its rows.
 */
async function scopedMembers(db: PrismaClient, org: { id: string; plan: PlanId }, periodStart: Date, scope: MemberScope, now: Date) {
  const orgId = org.id;
  const counting = countSeats(db, orgId, org.plan, now);
  const seated = (counts: SeatCount[], type: SeatType) => counts.find((c) => c.seatType === type)!.members;
  const memberCount = (counts: SeatCount[]) => counts.reduce((sum, c) => sum + c.members, 0);
  const viewerOrRefused =
    "viewer" in scope
      ? Prisma.sql`AND (m.user_id = ${scope.viewer} OR m.user_id IN (
          SELECT c.user_id FROM usage_counters c
          WHERE c.org_id = ${orgId} AND c.user_id <> '' AND c.metric IN ('ai_budget', 'enrichments') AND c.period_start = ${periodStart} AND c.blocked > 0))`
      : Prisma.empty;
  const onePage =
    "pageSize" in scope
      ? Prisma.sql`LIMIT ${scope.pageSize} OFFSET ${pageOffset(scope.page, memberCount(await counting), scope.pageSize)}`
      : Prisma.empty;
  const listing = db.$queryRaw<MembershipRow[]>`
    SELECT m.user_id, u.name, u.email, m.role, m.seat_type, m.ai_allocation_micros, m.enrichment_allocation,
           ai.used AS ai_used, ai.blocked AS ai_blocked, en.used AS enrichments_used, en.blocked AS enrichments_blocked
    FROM memberships m
    JOIN users u ON u.id = m.user_id
    LEFT JOIN usage_counters ai ON ai.org_id = m.org_id AND ai.user_id = m.user_id AND ai.metric = 'ai_budget' AND ai.period_start = ${periodStart}
    LEFT JOIN usage_counters en ON en.org_id = m.org_id AND en.user_id = m.user_id AND en.metric = 'enrichments' AND en.period_start = ${periodStart}
    WHERE m.org_id = ${orgId} ${viewerOrRefused}
    ORDER BY m.created_at, m.user_id
    ${onePage}`;
  const [memberships, counts] = await Promise.all([listing, counting]);
  return { memberships, memberCount: memberCount(counts), seats: { power: seated(counts, "power"), collaborator: seated(counts, "collaborator") } };
}

/** A meter as the page shows it: the metric's definition with this cycle's figures. */
export function meterOf(
  metric: Exclude<MetricId, "ai_budget">,
  figures: { used: number; limit: Limit; resetsAt: string | null; history: number[]; blocked: number; forecast: Forecast | null },
): Meter {
  const { label, group, capKind, unit, cumulative } = METRICS[metric];
  return { metric, label, group, capKind, unit, cumulative, ...figures, percent: percentUsed(figures.used, figures.limit) };
}

function featureSpend(feature: AiFeature, rows: { tier: string; spent: bigint }[]): FeatureSpend {
  const top = rows.reduce<{ tier: string; spent: bigint } | null>((best, row) => (!best || row.spent > best.spent ? row : best), null);
  return {
    feature,
    label: AI_FEATURE_LABELS[feature],
    tier: top ? AI_TIER_LABELS[top.tier as AiTier] : null,
    spentMicros: rows.reduce((sum, row) => sum + num(row.spent), 0),
  };
}
