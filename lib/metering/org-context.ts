import { billingPeriodFor, CUMULATIVE_PERIOD_START, type BillingPeriod } from "@/lib/billing-cycle";
import { storeCeiling } from "@/lib/limits/cap-policy";
import { METRICS, type MetricId } from "@/lib/limits/metrics";
import { limitFor, type Limit, type LimitOverrides, type PlanId } from "@/lib/limits/plans";

/** What enforcement needs to know about an org (cached per process by org-terms.ts). */
export interface OrgContext {
  id: string;
  plan: PlanId;
  billingAnchor: Date;
  overrides: LimitOverrides;
}

export interface MetricTerms {
  limit: Limit;
  /** The highest total the store lets the counter reach (see storeCeiling). */
  ceiling: number;
  /** The counter's period: the billing period, or the single cumulative one. */
  periodStart: Date;
  /** When the counter resets; null for cumulative metrics. */
  resetsAt: Date | null;
  period: BillingPeriod;
}

/** The cap and counter period that apply to one of the org's metrics at `now`. */
export function termsFor(org: OrgContext, metric: MetricId, now: Date): MetricTerms {
  const definition = METRICS[metric];
  const limit = limitFor(org.plan, metric, org.overrides);
  const period = billingPeriodFor(org.billingAnchor, now);
  return {
    limit,
    ceiling: storeCeiling(definition.capKind, limit),
    periodStart: definition.cumulative ? CUMULATIVE_PERIOD_START : period.start,
    resetsAt: definition.cumulative ? null : period.end,
    period,
  };
}

export interface Member {
  userId: string;
  aiAllocationMicros: number | null;
  enrichmentAllocation: number | null;
}

/** A member's personal allocation of a metric, or null when they share the org pool. */
export function allocationOf(member: Member, metric: MetricId): number | null {
  if (metric === "ai_budget") return member.aiAllocationMicros;
  if (metric === "enrichments") return member.enrichmentAllocation;
  return null;
}
