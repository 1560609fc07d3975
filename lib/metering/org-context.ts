import { ApiError } from "@/lib/api/errors";
import { billingPeriodFor, CUMULATIVE_PERIOD_START, type BillingPeriod } from "@/lib/billing-cycle";
import { ceilingFor } from "@/lib/limits/decide";
import { METRICS, type MetricId } from "@/lib/limits/metrics";
import { limitFor, type Limit, type LimitOverrides, type PlanId } from "@/lib/limits/plans";
import type { Tx } from "./types";

/** What enforcement needs to know about an org, read once per request. */
export interface OrgContext {
  id: string;
  plan: PlanId;
  billingAnchor: Date;
  aiPaused: boolean;
  overrides: LimitOverrides;
}

export async function loadOrgContext(tx: Tx, orgId: string): Promise<OrgContext> {
  const org = await tx.org.findUnique({
    where: { id: orgId },
    select: { id: true, plan: true, billingAnchor: true, aiPaused: true, limitOverrides: true },
  });
  if (!org) throw new ApiError("not_found", "Organization not found.");
  return {
    id: org.id,
    plan: org.plan,
    billingAnchor: org.billingAnchor,
    aiPaused: org.aiPaused,
    overrides: (org.limitOverrides ?? {}) as LimitOverrides,
  };
}

export interface MetricTerms {
  limit: Limit;
  ceiling: number | null;
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
    ceiling: ceilingFor(definition.capKind, limit),
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

/** The member's allocations; a user outside the org is a 403. */
export async function loadMember(tx: Tx, orgId: string, userId: string): Promise<Member> {
  const membership = await tx.membership.findUnique({
    where: { orgId_userId: { orgId, userId } },
    select: { aiAllocationMicros: true, enrichmentAllocation: true },
  });
  if (!membership) throw new ApiError("forbidden", `User "${userId}" is not a member of this organization.`);
  return {
    userId,
    aiAllocationMicros: membership.aiAllocationMicros === null ? null : Number(membership.aiAllocationMicros),
    enrichmentAllocation: membership.enrichmentAllocation === null ? null : Number(membership.enrichmentAllocation),
  };
}

/** A member's personal allocation of a metric, or null when they share the org pool. */
export function allocationOf(member: Member, metric: MetricId): number | null {
  if (metric === "ai_budget") return member.aiAllocationMicros;
  if (metric === "enrichments") return member.enrichmentAllocation;
  return null;
}
