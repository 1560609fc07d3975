import { storedPlan } from "@/lib/db/stored-values";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { recordAudit } from "@/lib/audit/record-audit";
import { ApiError } from "@/lib/api/errors";
import { formatMicros } from "@/lib/format";
import { limitFor, type LimitOverrides } from "@/lib/limits/plans";
import { TX_OPTIONS } from "@/lib/metering/types";
import { auditActor, requireAdmin, type Actor } from "./actor";

/** A member's personal allocations per billing period; null shares the org pool. */
export interface Allocations {
  aiAllocationMicros: number | null;
  enrichmentAllocation: number | null;
}

/**
 * Sets, raises, lowers or removes a member's allocations. It is an ordinary
 * update of the membership, whose trigger bumps the org's config_version, so
 * enforcement applies the new allocation from the very next API call (and a
 * raised one ends the member's 429s at once). No allocation may exceed the
 * org's own cap; an unlimited cap bounds nothing.
 */
export async function setAllocations(db: PrismaClient, actor: Actor, input: { userId: string } & Allocations) {
  requireAdmin(actor);
  return db.$transaction(async (tx) => {
    const org = await tx.org.findUniqueOrThrow({ where: { id: actor.orgId }, select: { plan: true, limitOverrides: true } });
    const overrides = (org.limitOverrides ?? {}) as LimitOverrides;
    const plan = storedPlan(org.plan);
    const aiCap = limitFor(plan, "ai_budget", overrides);
    const enrichmentCap = limitFor(plan, "enrichments", overrides);
    if (input.aiAllocationMicros !== null && aiCap !== null && input.aiAllocationMicros > aiCap) {
      throw new ApiError("invalid_request", `An AI allocation cannot be more than the organization's AI pool of ${formatMicros(aiCap)}.`, { field: "aiDollars" });
    }
    if (input.enrichmentAllocation !== null && enrichmentCap !== null && input.enrichmentAllocation > enrichmentCap) {
      throw new ApiError("invalid_request", `An enrichment allocation cannot be more than the organization's ${enrichmentCap.toLocaleString("en-US")} enrichments.`, {
        field: "enrichments",
      });
    }

    // Locked, so the audit entry's "before" is the value this change replaced.
    const [current] = await tx.$queryRaw<{ ai: bigint | null; enrichments: bigint | null }[]>`
      SELECT ai_allocation_micros AS ai, enrichment_allocation AS enrichments FROM memberships
      WHERE org_id = ${actor.orgId} AND user_id = ${input.userId} FOR UPDATE`;
    if (!current) throw new ApiError("not_found", "That person is not a member of this organization.");
    const before: Allocations = {
      aiAllocationMicros: current.ai === null ? null : Number(current.ai),
      enrichmentAllocation: current.enrichments === null ? null : Number(current.enrichments),
    };
    const after: Allocations = { aiAllocationMicros: input.aiAllocationMicros, enrichmentAllocation: input.enrichmentAllocation };
    if (before.aiAllocationMicros === after.aiAllocationMicros && before.enrichmentAllocation === after.enrichmentAllocation) return after;

    await tx.membership.update({
      where: { orgId_userId: { orgId: actor.orgId, userId: input.userId } },
      data: { aiAllocationMicros: after.aiAllocationMicros, enrichmentAllocation: after.enrichmentAllocation },
    });
    await recordAudit(tx, {
      orgId: actor.orgId,
      actor: auditActor(actor),
      action: "allocation_changed",
      before: { member: input.userId, ...before },
      after: { member: input.userId, ...after },
    });
    return after;
  }, TX_OPTIONS);
}
