import { randomBytes } from "node:crypto";
import { ApiError } from "@/lib/api/errors";
import { secondsUntilReset } from "@/lib/billing-cycle";
import type { SqlExecutor } from "@/lib/db/sql-executor";
import { allocationCeiling } from "@/lib/limits/cap-policy";
import type { AiFeature } from "@/lib/limits/ai-models";
import { costMicros, type PriceLookup } from "@/lib/limits/model-catalog";
import { AI_BUDGET_EXHAUSTED_MESSAGE, AI_PAUSED_MESSAGE, allocationReachedMessage } from "@/lib/limits/messages";
import { createCoalescer } from "./coalescer";
import { termsFor } from "./org-context";
import { failsAlone, membersOf, notAMember, retryingOn, storeRefusal, withOrgTerms } from "./org-terms";
import { modelCatalog } from "./model-catalog-cache";
import { forgetHolds, recallHolds, rememberHolds, type HoldFacts } from "./hold-facts";
import { topUpOpened } from "./top-up-kick";

/**
 * AI holds. The app prices the call and works out the org's terms from its
 * version-guarded cache; one SQL call (ledgerline_ai_authorize, _settle,
 * _release) checks the version and the API key, locks, decides and writes.
 * Concurrent requests of one org are coalesced: the call takes them as a
 * batch, decided in arrival order under one lock of the pool, credit and
 * member rows, each request still all or nothing. The functions receive
 * ceilings (lib/limits/cap-policy.ts) and decide with ledgerline_fits like
 * consume; their live definitions are prisma/sql/ledgerline_ai_*.sql.
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

/** One request's answer within a batch. */
type Answer<T> = { ok: true; value: T } | { ok: false; error: Error };

/** A refusal of the whole batch: the row the functions answer with idx 0. */
interface BatchRow {
  idx: number;
  outcome: string;
}

const wholeBatch = (rows: BatchRow[]) => (rows[0]?.idx === 0 ? rows[0].outcome : null);

/**
 * Runs `run` for one org's queued requests, through a coalescer keyed by org
 * and API key. A batch that failed for any reason but the store being down,
 * or a refusal of the org or key, is re-run request by request, so that one
 * bad request fails alone.
 */
function coalesced<Item, T>(kind: string, run: (orgId: string, apiKeyHash: string | undefined, items: Item[]) => Promise<Answer<T>[]>) {
  const submit = createCoalescer<Item, Answer<T>>(
    (key, items) => {
      const [orgId, apiKeyHash] = key.split("\u0000");
      return run(orgId, apiKeyHash || undefined, items);
    },
    { kind, isolate: failsAlone },
  );
  return async (key: string[], item: Item): Promise<T> => {
    const answer = await submit(key.join("\u0000"), item);
    if (!answer.ok) throw answer.error;
    return answer.value;
  };
}

interface QueuedAuthorize {
  sql: SqlExecutor;
  request: AiAuthorizeRequest;
  now?: Date;
}

const submitAuthorize = coalesced<QueuedAuthorize, AiAuthorization>("ai_authorize", (orgId, apiKeyHash, items) =>
  authorizeBatch(items[0].sql, orgId, apiKeyHash, items[0].now ?? new Date(), items.map((item) => item.request)));

/**
 * Prices the worst case of an AI call and holds it on the org's pool (then its
 * prepaid credits) and on the member's allocation, all or nothing.
 */
export function authorizeAi(sql: SqlExecutor, request: AiAuthorizeRequest, now?: Date, apiKeyHash?: string): Promise<AiAuthorization> {
  return submitAuthorize([request.orgId, apiKeyHash ?? "", now?.getTime().toString() ?? ""], { sql, request, now });
}

async function authorizeBatch(
  sql: SqlExecutor,
  orgId: string,
  apiKeyHash: string | undefined,
  now: Date,
  requests: AiAuthorizeRequest[],
): Promise<Answer<AiAuthorization>[]> {
  const catalog = await modelCatalog(sql);
  return withOrgTerms(sql, orgId, async (terms) => {
    const members = await membersOf(sql, terms, requests.map((r) => r.userId));
    const answers: Answer<AiAuthorization>[] = [];
    const sent: { index: number; request: AiAuthorizeRequest; tier: string; allocation: number | null; hold: AiAuthorization }[] = [];
    const expiresAt = new Date(now.getTime() + HOLD_TTL_MS);
    requests.forEach((request, index) => {
      const member = members.get(request.userId);
      if (!member) {
        answers[index] = { ok: false, error: notAMember(request.userId) };
        return;
      }
      const price = catalog.priceFor(request.model, now);
      if (!price.ok) {
        answers[index] = { ok: false, error: unknownModel(request.model, price) };
        return;
      }
      const hold = {
        authorizationId: `auth_${randomBytes(16).toString("hex")}`,
        holdMicros: costMicros(price.version, request.inputTokens, request.maxOutputTokens),
        expiresAt: expiresAt.toISOString(),
      };
      sent.push({ index, request, tier: price.version.tier, allocation: member.aiAllocationMicros, hold });
    });
    if (!sent.length) return answers;

    const aiTerms = termsFor(terms.context, "ai_budget", now);
    const rows = await sql.query<BatchRow & { used: string | null }>(
      `SELECT idx, outcome, used FROM ledgerline_ai_authorize($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
      [
        orgId, terms.version, apiKeyHash ?? null, now, aiTerms.periodStart, aiTerms.ceiling, expiresAt,
        sent.map((s) => s.hold.authorizationId), sent.map((s) => s.request.userId), sent.map((s) => allocationCeiling(s.allocation)),
        sent.map((s) => s.hold.holdMicros), sent.map((s) => s.request.feature), sent.map((s) => s.request.model),
        sent.map((s) => s.tier),
      ],
      { name: "ledgerline_ai_authorize", orgId },
    );
    const refusal = wholeBatch(rows);
    if (refusal === "stale") return "stale";
    if (refusal === "paused") {
      for (const s of sent) answers[s.index] = { ok: false, error: new ApiError("ai_access_paused", AI_PAUSED_MESSAGE) };
      return answers;
    }
    if (refusal) throw storeRefusal(refusal);

    const resetsAt = aiTerms.resetsAt?.toISOString() ?? null;
    const retryAfter = secondsUntilReset(aiTerms.period, now);
    rememberHolds(orgId, rows.filter((row) => row.outcome === "authorized").map((row) => {
      const { request, hold } = sent[row.idx - 1];
      return { authorizationId: hold.authorizationId, facts: { model: request.model, createdAt: now, periodStart: aiTerms.periodStart } };
    }));
    for (const row of rows) {
      const { index, hold, allocation } = sent[row.idx - 1];
      switch (row.outcome) {
        case "authorized":
          answers[index] = { ok: true, value: hold };
          break;
        case "denied_pool":
          answers[index] = {
            ok: false,
            error: new ApiError("ai_budget_exhausted", AI_BUDGET_EXHAUSTED_MESSAGE, {
              metric: "ai_budget",
              usedMicros: Number(row.used),
              limitMicros: aiTerms.limit,
              resetsAt,
            }, retryAfter),
          };
          break;
        case "denied_user":
          answers[index] = {
            ok: false,
            error: new ApiError("user_allocation_exceeded", allocationReachedMessage("ai_budget", allocation ?? 0, aiTerms.resetsAt), {
              metric: "ai_budget",
              limitMicros: allocation,
              resetsAt,
            }, retryAfter),
          };
          break;
        default:
          throw new Error(`Unknown outcome ${row.outcome}`);
      }
    }
    return answers;
  }, RETRYABLE);
}

function unknownModel(model: string, lookup: Exclude<PriceLookup, { ok: true }>): ApiError {
  const message = lookup.reason === "retired"
    ? `Model "${model}" was retired on ${lookup.since.toISOString().slice(0, 10)} and takes no new authorizations; choose another model.`
    : `Model "${model}" is not in the model catalog.`;
  return new ApiError("unknown_model", message, { model });
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

interface QueuedSettle {
  sql: SqlExecutor;
  request: AiSettleRequest;
  now?: Date;
}

const submitSettle = coalesced<QueuedSettle, AiSettlement>("ai_settle", (orgId, apiKeyHash, items) =>
  settleBatch(items[0].sql, orgId, apiKeyHash, items.map((item) => item.request), items[0].now ?? new Date()));

/**
 * Records what an AI call actually cost and releases its hold. The pool pays
 * first, then credits (drawn from the grants in draw order, after any past
 * their expiry have expired: lib/metering/credit-grants.ts); the cost of work
 * already done is recorded even past the cap. A draw that takes the credits
 * below the org's auto top-up threshold opens one top-up
 * (lib/metering/auto-top-up.ts). Settling again returns the first settlement.
 */
export function settleAi(sql: SqlExecutor, request: AiSettleRequest, apiKeyHash?: string, now?: Date): Promise<AiSettlement> {
  return submitSettle([request.orgId, apiKeyHash ?? "", now?.getTime().toString() ?? ""], { sql, request, now });
}

/** `now` decides which credit grants have expired and dates the draw-downs; tests pass their own. */
async function settleBatch(sql: SqlExecutor, orgId: string, apiKeyHash: string | undefined, requests: AiSettleRequest[], now: Date): Promise<Answer<AiSettlement>[]> {
  // A hold's model, time and period are fixed when it is taken: known here when this process took
  // it (hold-facts.ts), else read, to price the calls by the catalog version the hold was priced
  // by; then settle under the lock.
  const catalog = await modelCatalog(sql);
  const ids = requests.map((r) => r.authorizationId);
  const holds = recallHolds(orgId, ids) ?? (await readHoldFacts(sql, orgId, ids));
  // The functions settle one period at a time; a hold not found goes with the first (it is answered not_found).
  const byPeriod = new Map<number, number[]>();
  requests.forEach((request, index) => {
    const periodStart = holds.get(request.authorizationId)?.periodStart;
    const key = periodStart ? periodStart.getTime() : (byPeriod.keys().next().value ?? 0);
    byPeriod.set(key, [...(byPeriod.get(key) ?? []), index]);
  });

  return withOrgTerms(sql, orgId, async (terms) => {
    const answers: Answer<AiSettlement>[] = [];
    for (const [periodMs, indexes] of byPeriod) {
      const periodStart = periodMs ? new Date(periodMs) : termsFor(terms.context, "ai_budget", now).periodStart;
      const aiTerms = termsFor(terms.context, "ai_budget", periodStart);
      const sent = indexes.map((index) => requests[index]);
      const costs = sent.map((r) => {
        const hold = holds.get(r.authorizationId);
        if (!hold) return 0;
        const version = catalog.versionAt(hold.model, hold.createdAt);
        if (!version) throw new Error(`Authorization ${r.authorizationId} names model ${hold.model}, which has no catalog version at its time.`);
        return costMicros(version, r.inputTokens, r.outputTokens);
      });
      const rows = await sql.query<BatchRow & SettlementFigures>(
        `SELECT idx, outcome, answer_feature, answer_tier, answer_input_tokens, answer_output_tokens, answer_cost_micros, answer_credit_micros
         FROM ledgerline_ai_settle($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [
          orgId, terms.version, apiKeyHash ?? null, now, periodStart, aiTerms.limit, aiTerms.ceiling,
          sent.map((r) => r.authorizationId), sent.map((r) => r.inputTokens), sent.map((r) => r.outputTokens), costs,
        ],
        { name: "ledgerline_ai_settle", orgId },
      );
      const refusal = wholeBatch(rows);
      // Settling is idempotent: periods already settled answer the same when the batch is run again.
      if (refusal === "stale") return "stale";
      if (refusal) throw storeRefusal(refusal);
      for (const row of rows) {
        // After the requests' rows, a row about the whole batch: its draw opened an automatic top-up.
        if (row.idx === 0) {
          if (row.outcome === "top_up_opened") topUpOpened(orgId);
          continue;
        }
        answers[indexes[row.idx - 1]] = settlementAnswer(row, requests[indexes[row.idx - 1]]);
      }
    }
    forgetHolds(orgId, ids);
    return answers;
  }, RETRYABLE);
}

async function readHoldFacts(sql: SqlExecutor, orgId: string, ids: string[]): Promise<Map<string, HoldFacts>> {
  const rows = await sql.query<{ id: string; model: string; period_start: Date; created_at: Date }>(
    `SELECT id, model, period_start, created_at FROM ai_authorizations WHERE org_id = $1 AND id = ANY($2::text[])`,
    [orgId, ids],
    { orgId },
  );
  return new Map(rows.map((row) => [row.id, { model: row.model, periodStart: new Date(row.period_start), createdAt: new Date(row.created_at) }]));
}

/** A settlement as the store keeps it (a hold's feature and tier, and the figures it was settled with); bigints arrive as text. */
interface SettlementFigures {
  answer_feature: string | null;
  answer_tier: string | null;
  answer_input_tokens: string | null;
  answer_output_tokens: string | null;
  answer_cost_micros: string | null;
  answer_credit_micros: string | null;
}

function settlementAnswer(row: BatchRow & SettlementFigures, request: AiSettleRequest): Answer<AiSettlement> {
  const { authorizationId } = request;
  switch (row.outcome) {
    case "settled":
    case "replay": {
      const settlement: AiSettlement = {
        authorizationId, status: "settled", feature: row.answer_feature!, tier: row.answer_tier!,
        inputTokens: Number(row.answer_input_tokens), outputTokens: Number(row.answer_output_tokens),
        costMicros: Number(row.answer_cost_micros), creditMicros: Number(row.answer_credit_micros),
      };
      if (settlement.inputTokens !== request.inputTokens || settlement.outputTokens !== request.outputTokens) {
        return { ok: false, error: new ApiError("idempotency_conflict", "This authorization was already settled with other token counts.", { authorizationId }) };
      }
      return { ok: true, value: settlement };
    }
    case "released":
      return { ok: false, error: new ApiError("idempotency_conflict", "This authorization was released and can no longer be settled.", { authorizationId }) };
    case "not_found":
      return { ok: false, error: new ApiError("not_found", `Authorization "${authorizationId}" not found.`) };
    default:
      throw new Error(`Unknown outcome ${row.outcome}`);
  }
}

export interface AiRelease {
  authorizationId: string;
  status: "released" | "expired";
}

interface QueuedRelease {
  sql: SqlExecutor;
  authorizationId: string;
}

const submitRelease = coalesced<QueuedRelease, AiRelease>("ai_release", async (orgId, apiKeyHash, items) => {
  // A deadlock with a settle or an expiry sweep of other holds is retried, as authorize and settle retry theirs.
  const rows = await retryingOn(RETRYABLE, () => items[0].sql.query<BatchRow>(
    `SELECT idx, outcome FROM ledgerline_ai_release($1, $2, $3)`,
    [orgId, apiKeyHash ?? null, items.map((item) => item.authorizationId)],
    { name: "ledgerline_ai_release", orgId },
  ));
  const refusal = wholeBatch(rows);
  if (refusal) throw storeRefusal(refusal);
  return rows.map(({ idx, outcome }): Answer<AiRelease> => {
    const { authorizationId } = items[idx - 1];
    if (outcome === "released" || outcome === "expired") return { ok: true, value: { authorizationId, status: outcome } };
    if (outcome === "settled") return { ok: false, error: new ApiError("idempotency_conflict", "This authorization was already settled.", { authorizationId }) };
    if (outcome === "not_found") return { ok: false, error: new ApiError("not_found", `Authorization "${authorizationId}" not found.`) };
    throw new Error(`Unknown outcome ${outcome}`);
  });
});

/** Cancels a hold. Releasing again, or after expiry, answers the same; a settled one cannot be released. */
export function releaseAi(sql: SqlExecutor, orgId: string, authorizationId: string, apiKeyHash?: string): Promise<AiRelease> {
  return submitRelease([orgId, apiKeyHash ?? ""], { sql, authorizationId });
}
