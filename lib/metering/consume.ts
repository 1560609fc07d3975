import { ApiError } from "@/lib/api/errors";
import { secondsUntilReset } from "@/lib/billing-cycle";
import { decide, percentUsed } from "@/lib/limits/decide";
import { allocationReachedMessage, limitReachedMessage } from "@/lib/limits/messages";
import { METRICS, type CapKind, type MetricId } from "@/lib/limits/metrics";
import type { Limit } from "@/lib/limits/plans";
import { addToCounter, appendLedger, readCounter, subtractFromCounter } from "./counters";
import { claimIdempotencyKey, requestHash, storeIdempotentResponse } from "./idempotency";
import { allocationOf, loadMember, loadOrgContext, termsFor, type MetricTerms } from "./org-context";
import { ORG_TOTAL, TX_OPTIONS, type Tx } from "./types";
import type { PrismaClient } from "@/lib/generated/prisma/client";

export interface UsageRequest {
  orgId: string;
  metric: MetricId;
  quantity: number;
  userId?: string;
}

export interface UsageDecision {
  allowed: boolean;
  metric: MetricId;
  used: number;
  limit: Limit;
  remaining: number | null;
  percent: number;
  capKind: CapKind;
  resetsAt: string | null;
}

function decisionBody(request: UsageRequest, used: number, limit: Limit, terms: MetricTerms, allowed: boolean): UsageDecision {
  return {
    allowed,
    metric: request.metric,
    used,
    limit,
    remaining: limit === null ? null : Math.max(0, limit - used),
    percent: percentUsed(used, limit),
    capKind: METRICS[request.metric].capKind,
    resetsAt: terms.resetsAt?.toISOString() ?? null,
  };
}

function denial(request: UsageRequest, terms: MetricTerms, used: number, byAllocation: number | null, now: Date) {
  const limit = byAllocation ?? terms.limit;
  const message = byAllocation === null
    ? limitReachedMessage(request.metric, terms.limit, terms.resetsAt)
    : allocationReachedMessage(request.metric, byAllocation, terms.resetsAt);
  return new ApiError(
    byAllocation === null ? "limit_exceeded" : "user_allocation_exceeded",
    message,
    {
      metric: request.metric,
      used,
      limit,
      capKind: METRICS[request.metric].capKind,
      resetsAt: terms.resetsAt?.toISOString() ?? null,
    },
    terms.resetsAt ? secondsUntilReset(terms.period, now) : undefined,
  );
}

function assertQuantityAllowed(request: UsageRequest) {
  if (request.metric === "ai_budget") {
    throw new ApiError("invalid_request", "The AI budget is metered through /api/v1/ai/authorize and /api/v1/ai/settle.");
  }
  if (request.quantity < 0 && !METRICS[request.metric].cumulative) {
    throw new ApiError("invalid_request", `A negative quantity is only allowed on cumulative metrics; ${request.metric} resets each cycle.`);
  }
}

/**
 * Atomically checks and records usage: the org counter, then the member's
 * allocation where one applies, then the ledger, all in one transaction or not
 * at all. A retry with the same idempotency key returns the first answer. A
 * denial records nothing and throws a 429 ApiError.
 */
export async function consumeUsage(
  db: PrismaClient,
  request: UsageRequest & { idempotencyKey: string },
  now = new Date(),
): Promise<UsageDecision> {
  assertQuantityAllowed(request);
  const { idempotencyKey, ...asked } = request;
  const hash = requestHash("consume", asked);
  return db.$transaction(async (tx) => {
    const claim = await claimIdempotencyKey(tx, request.orgId, idempotencyKey, hash);
    if (claim.kind === "replay") return claim.response as UsageDecision;
    const decision = await recordUsage(tx, request, idempotencyKey, now);
    await storeIdempotentResponse(tx, request.orgId, idempotencyKey, decision);
    return decision;
  }, TX_OPTIONS);
}

/** The counter updates and ledger entry of one admitted request, inside the caller's transaction. */
export async function recordUsage(tx: Tx, request: UsageRequest, idempotencyKey: string, now: Date) {
  const org = await loadOrgContext(tx, request.orgId);
  const member = request.userId ? await loadMember(tx, request.orgId, request.userId) : null;
  const terms = termsFor(org, request.metric, now);
  const orgKey = { orgId: org.id, userId: ORG_TOTAL, metric: request.metric, periodStart: terms.periodStart };

  if (request.quantity < 0) {
    const { applied, used } = await subtractFromCounter(tx, orgKey, request.quantity);
    if (applied !== 0) {
      await appendLedger(tx, { ...orgKey, userId: request.userId ?? null, quantity: applied, idempotencyKey });
    }
    return decisionBody(request, used, terms.limit, terms, true);
  }

  const used = await addToCounter(tx, orgKey, request.quantity, terms.ceiling);
  if (used === null) {
    const current = await readCounter(tx, orgKey);
    throw denial(request, terms, current.used, null, now);
  }
  if (member && METRICS[request.metric].allocatable) {
    const allocation = allocationOf(member, request.metric);
    const memberKey = { ...orgKey, userId: member.userId };
    const memberUsed = await addToCounter(tx, memberKey, request.quantity, allocation);
    // Throwing rolls back the org counter update above as well.
    if (memberUsed === null) throw denial(request, terms, (await readCounter(tx, memberKey)).used, allocation, now);
  }
  await appendLedger(tx, { ...orgKey, userId: request.userId ?? null, quantity: request.quantity, idempotencyKey });
  return decisionBody(request, used, terms.limit, terms, true);
}

/** The same decision as consumeUsage, recording nothing. */
export async function checkUsage(db: PrismaClient, request: UsageRequest, now = new Date()): Promise<UsageDecision> {
  assertQuantityAllowed(request);
  const org = await loadOrgContext(db, request.orgId);
  const member = request.userId ? await loadMember(db, request.orgId, request.userId) : null;
  const terms = termsFor(org, request.metric, now);
  const orgKey = { orgId: org.id, userId: ORG_TOTAL, metric: request.metric, periodStart: terms.periodStart };
  const current = await readCounter(db, orgKey);
  const capKind = METRICS[request.metric].capKind;
  const orgDecision = decide(current.used + current.held, request.quantity, capKind, terms.limit);
  if (!orgDecision.allowed) return decisionBody(request, current.used, terms.limit, terms, false);
  const allocation = member ? allocationOf(member, request.metric) : null;
  if (member && allocation !== null) {
    const mine = await readCounter(db, { ...orgKey, userId: member.userId });
    if (!decide(mine.used + mine.held, request.quantity, "hard", allocation).allowed) {
      return decisionBody(request, mine.used, allocation, terms, false);
    }
  }
  return decisionBody(request, current.used, terms.limit, terms, true);
}
