import { AI_FEATURE_LABELS, AI_FEATURES } from "@/lib/limits/ai-models";
import { percentUsed } from "@/lib/limits/cap-policy";
import { METRIC_IDS, METRICS, type MetricId } from "@/lib/limits/metrics";
import { limitFor, PLANS, type PlanId } from "@/lib/limits/plans";
import { meterOf, type MemberUsage, type UsageSnapshot } from "@/lib/metering/snapshot";
import type { Forecast } from "@/lib/usage-forecast";

const USD = 1_000_000;
const PERIODS = ["2026-06-15", "2026-07-15", "2026-08-15", "2026-09-15", "2026-10-15", "2026-11-15"].map((d) => `${d}T00:00:00.000Z`);

export interface SnapshotOptions {
  plan?: PlanId;
  status?: string;
  aiPaused?: boolean;
  previewFlag?: boolean;
  aiUsedMicros?: number;
  creditMicros?: number;
  used?: Partial<Record<MetricId, number>>;
  /** Per-metric history; defaults to a gentle rise to the current value. */
  history?: Partial<Record<MetricId, number[]>>;
  members?: MemberUsage[];
  /** Requests refused this cycle, per metric ("ai_budget" is the AI pool). */
  blocked?: Partial<Record<MetricId, number>>;
  /** Per-metric forecast ("ai_budget" is the AI pool); none by default. */
  forecasts?: Partial<Record<MetricId, Forecast>>;
  nextCreditExpiry?: { amountMicros: number; expiresAt: string };
  /** When the snapshot was read; defaults to the cycle's second day, too early for forecasts. */
  asOf?: string;
}

export function member(userId: string, options: Partial<MemberUsage> = {}): MemberUsage {
  return {
    userId,
    name: userId,
    email: `${userId}@example.test`,
    role: "user",
    seatType: "collaborator",
    ai: { usedMicros: 0, allocationMicros: null, blocked: 0 },
    enrichments: { used: 0, allocation: null, blocked: 0 },
    ...options,
  };
}

/** A hand-made snapshot, shaped exactly as getUsageSnapshot returns it, for the view-model and component tests. */
export function usageSnapshot(options: SnapshotOptions = {}): UsageSnapshot {
  const plan = options.plan ?? "pro";
  const members = options.members ?? [];
  const aiLimit = limitFor(plan, "ai_budget");
  const aiUsed = options.aiUsedMicros ?? 70 * USD;
  const weights = [0.25, 0.1, 0.15, 0.3, 0.08, 0.12];
  const tiers = ["Standard", "Light", "Fast", "Advanced Reasoning", "Standard", "Fast"];
  return {
    org: {
      id: "org_test",
      name: "Test Org",
      plan,
      planName: PLANS[plan].name,
      billingInterval: "month",
      subscriptionStatus: options.status ?? "active",
      aiPaused: options.aiPaused ?? false,
      previewFlag: options.previewFlag ?? false,
      monthlyPriceMicros: PLANS[plan].monthlyPriceMicros,
      annualPriceMicros: PLANS[plan].annualPriceMicros,
    },
    asOf: options.asOf ?? "2026-11-16T12:00:00.000Z",
    period: { start: "2026-11-15T00:00:00.000Z", end: "2026-12-15T00:00:00.000Z" },
    ai: {
      limitMicros: aiLimit,
      usedMicros: aiUsed,
      heldMicros: 0,
      percent: percentUsed(aiUsed, aiLimit),
      creditBalanceMicros: options.creditMicros ?? 0,
      byFeature: AI_FEATURES.map((feature, i) => ({
        feature,
        label: AI_FEATURE_LABELS[feature],
        tier: aiUsed > 0 ? tiers[i] : null,
        spentMicros: Math.round(aiUsed * weights[i]),
      })),
      blocked: options.blocked?.ai_budget ?? 0,
      forecast: options.forecasts?.ai_budget ?? null,
      nextCreditExpiry: options.nextCreditExpiry ?? null,
    },
    meters: METRIC_IDS.filter((id) => id !== "ai_budget").map((metric) => {
      const used = options.used?.[metric] ?? 0;
      return meterOf(metric, {
        used,
        limit: limitFor(plan, metric),
        resetsAt: METRICS[metric].cumulative ? null : "2026-12-15T00:00:00.000Z",
        history: options.history?.[metric] ?? [0.5, 0.6, 0.7, 0.8, 0.9, 1].map((f) => Math.round(used * f)),
        blocked: options.blocked?.[metric] ?? 0,
        forecast: options.forecasts?.[metric] ?? null,
      });
    }),
    members,
    memberCount: members.length,
    seats: { power: members.filter((m) => m.seatType === "power").length, collaborator: members.filter((m) => m.seatType === "collaborator").length },
    historyPeriods: PERIODS,
  };
}
