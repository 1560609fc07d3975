import { randomBytes } from "node:crypto";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { ApiError } from "@/lib/api/errors";
import { secondsUntilReset } from "@/lib/billing-cycle";
import { priceMicros, tierOf, type AiFeature } from "@/lib/limits/ai-models";
import { AI_BUDGET_EXHAUSTED_MESSAGE, AI_PAUSED_MESSAGE, allocationReachedMessage } from "@/lib/limits/messages";
import { recordCrossings } from "./alerts";
import { appendLedger, countBlocked, lockCounter, shiftCounter } from "./counters";
import { holdCredits, lockFreeCredits, postCredit, releaseCredits } from "./credits";
import { loadMember, loadOrgContext, termsFor } from "./org-context";
import { ORG_TOTAL, TX_OPTIONS, type CounterKey, type Tx } from "./types";

/** An unsettled hold frees itself after this long (AI_HOLD_TTL_SECONDS overrides, for fault tests). */
export const HOLD_TTL_MS = (Number(process.env.AI_HOLD_TTL_SECONDS) || 600) * 1000;

export interface AiAuthorizeRequest {
  orgId: string;
  userId: string;
  feature: AiFeature;
  model: string;
  inputTokens: number;
  maxOutputTokens: number;
}

export interface AiAuthorization {
  authorizationId: string;
  holdMicros: number;
  expiresAt: string;
}

interface HoldRow {
  id: string;
  org_id: string;
  user_id: string;
  feature: string;
  model: string;
  tier: string;
  period_start: Date;
  hold_micros: bigint;
  pool_hold_micros: bigint;
  status: "held" | "settled" | "released" | "expired";
  settled_response: AiSettlement | null;
}

const poolKey = (orgId: string, periodStart: Date): CounterKey => ({ orgId, userId: ORG_TOTAL, metric: "ai_budget", periodStart });

/**
 * Prices the worst case of an AI call and holds it on the org's pool (then its
 * prepaid credits) and on the member's allocation, all or nothing.
 */
export async function authorizeAi(db: PrismaClient, request: AiAuthorizeRequest, now = new Date()): Promise<AiAuthorization> {
  // The counter whose cap refused the request: counted after the refused transaction rolls back.
  const refused: { by?: CounterKey } = {};
  try {
    return await holdAi(db, request, now, refused);
  } catch (error) {
    if (refused.by) await countBlocked(db, refused.by);
    throw error;
  }
}

async function holdAi(db: PrismaClient, request: AiAuthorizeRequest, now: Date, refused: { by?: CounterKey }): Promise<AiAuthorization> {
  return db.$transaction(async (tx) => {
    const org = await loadOrgContext(tx, request.orgId);
    if (org.aiPaused) throw new ApiError("ai_access_paused", AI_PAUSED_MESSAGE);
    const member = await loadMember(tx, org.id, request.userId);
    await freeExpiredHolds(tx, org.id, now);

    const holdMicros = priceMicros(request.model, request.inputTokens, request.maxOutputTokens);
    const terms = termsFor(org, "ai_budget", now);
    const pool = poolKey(org.id, terms.periodStart);
    const retryAfter = secondsUntilReset(terms.period, now);
    const resetsAt = terms.resetsAt?.toISOString() ?? null;

    // Lock order everywhere: pool, credits, member. It keeps concurrent holds deadlock-free.
    const { used, held } = await lockCounter(tx, pool);
    const room = terms.limit === null ? holdMicros : Math.max(0, terms.limit - used - held);
    const poolHold = Math.min(holdMicros, room);
    if (!(await holdCredits(tx, org.id, holdMicros - poolHold))) {
      refused.by = pool;
      throw new ApiError("ai_budget_exhausted", AI_BUDGET_EXHAUSTED_MESSAGE, { metric: "ai_budget", usedMicros: used, limitMicros: terms.limit, resetsAt }, retryAfter);
    }
    await shiftCounter(tx, pool, { held: poolHold });

    const allocation = member.aiAllocationMicros;
    const mine = { ...pool, userId: member.userId };
    if (!(await shiftCounter(tx, mine, { held: holdMicros }, allocation))) {
      refused.by = mine;
      throw new ApiError("user_allocation_exceeded", allocationReachedMessage("ai_budget", allocation ?? 0, terms.resetsAt), {
        metric: "ai_budget",
        limitMicros: allocation,
        resetsAt,
      }, retryAfter);
    }

    const authorizationId = `auth_${randomBytes(16).toString("hex")}`;
    const expiresAt = new Date(now.getTime() + HOLD_TTL_MS);
    await tx.$executeRaw`
      INSERT INTO ai_authorizations (id, org_id, user_id, feature, model, tier, period_start, hold_micros, pool_hold_micros, expires_at, created_at)
      VALUES (${authorizationId}, ${org.id}, ${member.userId}, ${request.feature}, ${request.model}, ${tierOf(request.model)},
              ${terms.periodStart}, ${holdMicros}::bigint, ${poolHold}::bigint, ${expiresAt}, ${now})`;
    return { authorizationId, holdMicros, expiresAt: expiresAt.toISOString() };
  }, TX_OPTIONS);
}

/** Gives a hold's reservations back to the pool, the credits and the member. */
async function releaseHold(tx: Tx, hold: HoldRow) {
  const pool = poolKey(hold.org_id, hold.period_start);
  const poolHold = Number(hold.pool_hold_micros);
  const total = Number(hold.hold_micros);
  await shiftCounter(tx, pool, { held: -poolHold });
  await releaseCredits(tx, hold.org_id, total - poolHold);
  await shiftCounter(tx, { ...pool, userId: hold.user_id }, { held: -total });
}

/** Releases every expired hold of the org; they free themselves this way on the org's next AI call. */
export async function freeExpiredHolds(tx: Tx, orgId: string, now = new Date()) {
  const expired = await tx.$queryRaw<HoldRow[]>`
    UPDATE ai_authorizations SET status = 'expired'
    WHERE id IN (
      SELECT id FROM ai_authorizations
      WHERE org_id = ${orgId} AND status = 'held' AND expires_at <= ${now}
      ORDER BY id FOR UPDATE SKIP LOCKED
    )
    RETURNING *`;
  for (const hold of expired) await releaseHold(tx, hold);
  return expired.length;
}

async function lockHold(tx: Tx, orgId: string, authorizationId: string) {
  const [hold] = await tx.$queryRaw<HoldRow[]>`
    SELECT * FROM ai_authorizations WHERE id = ${authorizationId} AND org_id = ${orgId} FOR UPDATE`;
  if (!hold) throw new ApiError("not_found", `Authorization "${authorizationId}" not found.`);
  return hold;
}

export interface AiSettleRequest {
  orgId: string;
  authorizationId: string;
  inputTokens: number;
  outputTokens: number;
}

export interface AiSettlement {
  authorizationId: string;
  status: "settled";
  feature: string;
  tier: string;
  inputTokens: number;
  outputTokens: number;
  costMicros: number;
  /** The part of the cost drawn from prepaid credits. */
  creditMicros: number;
}

/**
 * Records what an AI call actually cost and releases its hold. The pool pays
 * first, then credits; the cost of work already done is recorded even past the
 * cap. Settling again returns the first settlement.
 */
export async function settleAi(db: PrismaClient, request: AiSettleRequest): Promise<AiSettlement> {
  return db.$transaction(async (tx) => {
    const hold = await lockHold(tx, request.orgId, request.authorizationId);
    if (hold.status === "settled") {
      const first = hold.settled_response!;
      if (first.inputTokens !== request.inputTokens || first.outputTokens !== request.outputTokens) {
        throw new ApiError("idempotency_conflict", "This authorization was already settled with other token counts.", {
          authorizationId: hold.id,
        });
      }
      return first;
    }
    if (hold.status === "released") {
      throw new ApiError("idempotency_conflict", "This authorization was released and can no longer be settled.", { authorizationId: hold.id });
    }
    // An expired hold has already given its reservations back.
    if (hold.status === "held") await releaseHold(tx, hold);

    const org = await loadOrgContext(tx, hold.org_id);
    const costMicros = priceMicros(hold.model, request.inputTokens, request.outputTokens);
    const pool = poolKey(org.id, hold.period_start);
    const limit = termsFor(org, "ai_budget", hold.period_start).limit;
    const { used, held } = await lockCounter(tx, pool);
    const room = limit === null ? costMicros : Math.max(0, limit - used - held);
    const poolPart = Math.min(costMicros, room);
    const creditMicros = Math.min(costMicros - poolPart, await lockFreeCredits(tx, org.id));
    await shiftCounter(tx, pool, { used: costMicros - creditMicros });
    await recordCrossings(tx, pool, used, used + costMicros - creditMicros, limit);
    if (creditMicros > 0) await postCredit(tx, org.id, "draw_down", -creditMicros, hold.id);
    const mine = { ...pool, userId: hold.user_id };
    const before = (await lockCounter(tx, mine)).used;
    await shiftCounter(tx, mine, { used: costMicros });
    const member = await tx.membership.findUnique({ where: { orgId_userId: { orgId: org.id, userId: hold.user_id } }, select: { aiAllocationMicros: true } });
    const allocation = member?.aiAllocationMicros == null ? null : Number(member.aiAllocationMicros);
    await recordCrossings(tx, mine, before, before + costMicros, allocation);
    await appendLedger(tx, {
      orgId: org.id, userId: hold.user_id, metric: "ai_budget", periodStart: hold.period_start,
      quantity: costMicros, creditMicros, feature: hold.feature, tier: hold.tier, idempotencyKey: hold.id,
    });
    await tx.$executeRaw`
      INSERT INTO ai_spend AS s (org_id, period_start, feature, tier, spent_micros)
      VALUES (${org.id}, ${hold.period_start}, ${hold.feature}, ${hold.tier}, ${costMicros}::bigint)
      ON CONFLICT (org_id, period_start, feature, tier) DO UPDATE SET spent_micros = s.spent_micros + EXCLUDED.spent_micros`;
    const tokens = request.inputTokens + request.outputTokens;
    await shiftCounter(tx, { ...pool, metric: "ai_tokens" }, { used: tokens });
    await appendLedger(tx, {
      orgId: org.id, userId: hold.user_id, metric: "ai_tokens", periodStart: hold.period_start,
      quantity: tokens, feature: hold.feature, tier: hold.tier, idempotencyKey: hold.id,
    });

    const settlement: AiSettlement = {
      authorizationId: hold.id, status: "settled", feature: hold.feature, tier: hold.tier,
      inputTokens: request.inputTokens, outputTokens: request.outputTokens, costMicros, creditMicros,
    };
    await tx.$executeRaw`
      UPDATE ai_authorizations SET status = 'settled', settled_response = ${JSON.stringify(settlement)}::jsonb WHERE id = ${hold.id}`;
    return settlement;
  }, TX_OPTIONS);
}

/** Cancels a hold. Releasing again, or after expiry, answers the same; a settled one cannot be released. */
export async function releaseAi(db: PrismaClient, orgId: string, authorizationId: string) {
  return db.$transaction(async (tx) => {
    const hold = await lockHold(tx, orgId, authorizationId);
    if (hold.status === "settled") {
      throw new ApiError("idempotency_conflict", "This authorization was already settled.", { authorizationId });
    }
    if (hold.status === "held") {
      await releaseHold(tx, hold);
      await tx.$executeRaw`UPDATE ai_authorizations SET status = 'released' WHERE id = ${hold.id}`;
    }
    return { authorizationId, status: hold.status === "expired" ? "expired" : "released" };
  }, TX_OPTIONS);
}
