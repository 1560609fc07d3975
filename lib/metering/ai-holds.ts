import { randomBytes } from "node:crypto";
import { ApiError } from "@/lib/api/errors";
import { secondsUntilReset } from "@/lib/billing-cycle";
import type { SqlExecutor } from "@/lib/db/sql-executor";
import { allocationCeiling } from "@/lib/limits/cap-policy";
import { priceMicros, tierOf, type AiFeature } from "@/lib/limits/ai-models";
import { AI_BUDGET_EXHAUSTED_MESSAGE, AI_PAUSED_MESSAGE, allocationReachedMessage } from "@/lib/limits/messages";
import { termsFor } from "./org-context";
import { memberOf, notAMember, storeRefusal, withOrgTerms } from "./org-terms";

/**
 * AI holds. The app prices the call and works out the org's terms from its
 * version-guarded cache; one SQL call each (ledgerline_ai_authorize, _settle,
 * _release) checks the version and the API key, locks, decides and writes.
 * The functions receive ceilings (lib/limits/cap-policy.ts), and decide with
 * ledgerline_fits like consume; their live definitions are prisma/sql/ledgerline_ai_*.sql.
 */

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

/** Safe to retry whole: a deadlock between holds that free expired ones in different orders. */
const RETRYABLE = ["40P01"];

/**
 * Prices the worst case of an AI call and holds it on the org's pool (then its
 * prepaid credits) and on the member's allocation, all or nothing.
 */
export async function authorizeAi(sql: SqlExecutor, request: AiAuthorizeRequest, now = new Date(), apiKeyHash?: string): Promise<AiAuthorization> {
  return withOrgTerms(sql, request.orgId, async (terms) => {
    const member = await memberOf(sql, terms, request.userId);
    if (!member) throw notAMember(request.userId);
    const holdMicros = priceMicros(request.model, request.inputTokens, request.maxOutputTokens);
    const aiTerms = termsFor(terms.context, "ai_budget", now);
    const allocation = member.aiAllocationMicros;
    const authorizationId = `auth_${randomBytes(16).toString("hex")}`;
    const expiresAt = new Date(now.getTime() + HOLD_TTL_MS);
    const [row] = await sql.query<{ outcome: string; used: string | null }>(
      `SELECT outcome, used FROM ledgerline_ai_authorize($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
      [
        terms.context.id, terms.version, apiKeyHash ?? null, now, member.userId, aiTerms.periodStart, aiTerms.ceiling, allocationCeiling(allocation),
        holdMicros, authorizationId, request.feature, request.model, tierOf(request.model), expiresAt,
      ],
      { name: "ledgerline_ai_authorize", orgId: terms.context.id },
    );
    const resetsAt = aiTerms.resetsAt?.toISOString() ?? null;
    const retryAfter = secondsUntilReset(aiTerms.period, now);
    switch (row.outcome) {
      case "authorized":
        return { authorizationId, holdMicros, expiresAt: expiresAt.toISOString() };
      case "paused":
        throw new ApiError("ai_access_paused", AI_PAUSED_MESSAGE);
      case "denied_pool":
        throw new ApiError("ai_budget_exhausted", AI_BUDGET_EXHAUSTED_MESSAGE, {
          metric: "ai_budget",
          usedMicros: Number(row.used),
          limitMicros: aiTerms.limit,
          resetsAt,
        }, retryAfter);
      case "denied_user":
        throw new ApiError("user_allocation_exceeded", allocationReachedMessage("ai_budget", allocation ?? 0, aiTerms.resetsAt), {
          metric: "ai_budget",
          limitMicros: allocation,
          resetsAt,
        }, retryAfter);
      case "stale":
        return "stale";
      default:
        throw storeRefusal(row.outcome);
    }
  }, RETRYABLE);
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
export async function settleAi(sql: SqlExecutor, request: AiSettleRequest, apiKeyHash?: string): Promise<AiSettlement> {
  // The model and period are fixed when the hold is taken: read them to price the call, then settle under the lock.
  const [hold] = await sql.query<{ model: string; period_start: Date }>(
    `SELECT model, period_start FROM ai_authorizations WHERE id = $1 AND org_id = $2`,
    [request.authorizationId, request.orgId],
    { orgId: request.orgId },
  );
  return withOrgTerms(sql, request.orgId, async (terms) => {
    const costMicros = hold ? priceMicros(hold.model, request.inputTokens, request.outputTokens) : 0;
    const aiTerms = hold ? termsFor(terms.context, "ai_budget", new Date(hold.period_start)) : null;
    const [row] = await sql.query<{ outcome: string; response: AiSettlement | null }>(
      `SELECT outcome, response FROM ledgerline_ai_settle($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        request.orgId, terms.version, apiKeyHash ?? null, new Date(), request.authorizationId, request.inputTokens, request.outputTokens, costMicros,
        aiTerms?.limit ?? null, aiTerms?.ceiling ?? null,
      ],
      { name: "ledgerline_ai_settle", orgId: request.orgId },
    );
    switch (row.outcome) {
      case "settled":
      case "replay": {
        const settlement = row.response!;
        if (settlement.inputTokens !== request.inputTokens || settlement.outputTokens !== request.outputTokens) {
          throw new ApiError("idempotency_conflict", "This authorization was already settled with other token counts.", {
            authorizationId: request.authorizationId,
          });
        }
        return settlement;
      }
      case "released":
        throw new ApiError("idempotency_conflict", "This authorization was released and can no longer be settled.", {
          authorizationId: request.authorizationId,
        });
      case "not_found":
        if (hold) throw new ApiError("not_found", "Organization not found.");
        throw new ApiError("not_found", `Authorization "${request.authorizationId}" not found.`);
      case "stale":
        return "stale";
      default:
        throw storeRefusal(row.outcome);
    }
  }, RETRYABLE);
}

/** Cancels a hold. Releasing again, or after expiry, answers the same; a settled one cannot be released. */
export async function releaseAi(sql: SqlExecutor, orgId: string, authorizationId: string, apiKeyHash?: string) {
  const [{ outcome }] = await sql.query<{ outcome: string }>(
    `SELECT ledgerline_ai_release($1, $2, $3) AS outcome`,
    [orgId, apiKeyHash ?? null, authorizationId],
    { name: "ledgerline_ai_release", orgId },
  );
  if (outcome === "settled") throw new ApiError("idempotency_conflict", "This authorization was already settled.", { authorizationId });
  if (outcome === "released" || outcome === "expired") return { authorizationId, status: outcome };
  if (outcome === "not_found") throw new ApiError("not_found", `Authorization "${authorizationId}" not found.`);
  throw storeRefusal(outcome);
}
