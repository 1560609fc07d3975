import { LRUCache } from "lru-cache";
import { ApiError } from "@/lib/api/errors";
import { secondsUntilReset } from "@/lib/billing-cycle";
import type { SqlExecutor } from "@/lib/db/sql-executor";
import { allocationCeiling, MAX_COUNTER, overflowsCounter, percentUsed } from "@/lib/limits/cap-policy";
import { allocationReachedMessage, limitReachedMessage } from "@/lib/limits/messages";
import { METRICS, type CapKind, type MetricId } from "@/lib/limits/metrics";
import type { Limit } from "@/lib/limits/plans";
import { createCoalescer } from "./coalescer";
import { consumeRun } from "./consume-run";
import { readFit } from "./counters";
import { keysSince, requestHash } from "./idempotency";
import { allocationOf, termsFor, type MetricTerms } from "./org-context";
import { processSingleton } from "@/lib/process/singleton";
import { failsAlone, loadTerms, memberOf, membersOf, notAMember, storeRefusal, withOrgTerms } from "./org-terms";
import { ORG_TOTAL } from "./types";

export interface UsageRequest {
  orgId: string;
  metric: MetricId;
  quantity: number;
  userId?: string;
}

export interface UsageEvent {
  metric: MetricId;
  quantity: number;
  userId?: string;
  idempotencyKey: string;
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

export type EventOutcome = { ok: true; decision: UsageDecision } | { ok: false; error: ApiError };

export interface ConsumeOptions {
  /** The instant to meter at; defaults to now. */
  now?: Date;
  /** When set, the store checks in the same round trip that this key still belongs to the org. */
  apiKeyHash?: string;
}

function decisionBody(metric: MetricId, used: number, limit: Limit, resetsAt: string | null, allowed: boolean): UsageDecision {
  return {
    allowed,
    metric,
    used,
    limit,
    remaining: limit === null ? null : Math.max(0, limit - used),
    percent: percentUsed(used, limit),
    capKind: METRICS[metric].capKind,
    resetsAt,
  };
}

function denial(metric: MetricId, terms: MetricTerms, used: number, byAllocation: number | null, now: Date) {
  const message = byAllocation === null
    ? limitReachedMessage(metric, terms.limit, terms.resetsAt)
    : allocationReachedMessage(metric, byAllocation, terms.resetsAt);
  return new ApiError(
    byAllocation === null ? "limit_exceeded" : "user_allocation_exceeded",
    message,
    { metric, used, limit: byAllocation ?? terms.limit, capKind: METRICS[metric].capKind, resetsAt: terms.resetsAt?.toISOString() ?? null },
    terms.resetsAt ? secondsUntilReset(terms.period, now) : undefined,
  );
}

/** A quantity that would take the counter past MAX_COUNTER: refused, whatever the cap, so that no figure loses exactness. */
function quantityOutOfRange(metric: MetricId, used: number, quantity: number) {
  return new ApiError(
    "quantity_out_of_range",
    `This would take ${metric} past ${MAX_COUNTER}, the largest total a meter can hold exactly; nothing was recorded.`,
    { metric, used, quantity, max: MAX_COUNTER },
  );
}

function invalidQuantity(metric: MetricId, quantity: number): ApiError | null {
  if (metric === "ai_budget") {
    return new ApiError("invalid_request", "The AI budget is metered through /api/v1/ai/authorize and /api/v1/ai/settle.");
  }
  if (quantity < 0 && !METRICS[metric].cumulative) {
    return new ApiError("invalid_request", `A negative quantity is only allowed on cumulative metrics; ${metric} resets each cycle.`);
  }
  return null;
}

/** Safe to retry whole: a deadlock. */
const RETRYABLE = ["40P01"];

// A key's last use (api_key_uses) is written at most once a minute per key and process, to keep writes off the hot path.
const KEY_TOUCH_INTERVAL_MS = 60_000;
const keyTouchedAt = () => processSingleton("api-key-touched-at", () => new LRUCache<string, number>({ max: 10_000 }));

function shouldTouchKey(apiKeyHash: string | undefined, now: Date) {
  if (!apiKeyHash) return false;
  const touched = keyTouchedAt();
  const last = touched.get(apiKeyHash) ?? 0;
  if (now.getTime() - last < KEY_TOUCH_INTERVAL_MS) return false;
  touched.set(apiKeyHash, now.getTime());
  return true;
}

/**
 * Checks and records a batch of one org's usage events, each all or nothing,
 * in order. Invalid events get their error without touching the store. A run
 * of events on one counter that fits within the cap is one call of
 * ledgerline_consume_run (consumeRun); anything else, or a run it hands
 * back, is one call of ledgerline_consume.
 */
export async function consumeBatch(
  sql: SqlExecutor,
  orgId: string,
  events: UsageEvent[],
  { now = new Date(), apiKeyHash }: ConsumeOptions = {},
): Promise<EventOutcome[]> {
  return withOrgTerms(sql, orgId, async (terms) => {
    const outcomes: (EventOutcome | undefined)[] = [];
    const sent: { index: number; event: UsageEvent; terms: MetricTerms; allocation: number | null; track: boolean; hash: string }[] = [];
    // A batch has few metrics and one instant: work out each metric's period and cap once.
    const byMetric = new Map<MetricId, MetricTerms>();
    const metricTerms = (metric: MetricId) => {
      let found = byMetric.get(metric);
      if (!found) byMetric.set(metric, (found = termsFor(terms.context, metric, now)));
      return found;
    };
    // Every member the batch names, in one query: a batch of unknown ids costs one round trip, not one per event.
    const members = await membersOf(sql, terms, events.flatMap((event) => (event.userId ? [event.userId] : [])));
    for (const [index, event] of events.entries()) {
      const invalid = invalidQuantity(event.metric, event.quantity);
      if (invalid) {
        outcomes[index] = { ok: false, error: invalid };
        continue;
      }
      const member = event.userId ? (members.get(event.userId) ?? null) : null;
      if (event.userId && !member) {
        outcomes[index] = { ok: false, error: notAMember(event.userId) };
        continue;
      }
      const track = member !== null && METRICS[event.metric].allocatable;
      sent.push({
        index,
        event,
        terms: metricTerms(event.metric),
        allocation: track ? allocationOf(member, event.metric) : null,
        track,
        hash: requestHash("consume", { orgId, metric: event.metric, quantity: event.quantity, userId: event.userId }),
      });
    }
    if (!sent.length) return outcomes as EventOutcome[];

    const touchKey = shouldTouchKey(apiKeyHash, now);
    if (isCounterRun(sent)) {
      const [first] = sent;
      const used = await consumeRun(sql, {
        orgId, configVersion: terms.version, apiKeyHash: apiKeyHash ?? null, touchKey, now,
        metric: first.event.metric, periodStart: first.terms.periodStart, ceiling: first.terms.ceiling,
        limit: first.terms.limit, resetsAt: first.terms.resetsAt,
        events: sent.map((s) => ({ idempotencyKey: s.event.idempotencyKey, hash: s.hash, quantity: s.event.quantity, userId: s.event.userId ?? null })),
      });
      if (used) {
        sent.forEach((s, i) => (outcomes[s.index] = toOutcome("admitted", s.event, s.terms, null, used[i], null, now)));
        return outcomes as EventOutcome[];
      }
    }

    const rows = await sql.query<{ idx: number; outcome: string; used: string | number | null; answer_limit: string | null; answer_resets_at: Date | null }>(
      `SELECT idx, outcome, used, answer_limit, answer_resets_at FROM ledgerline_consume($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
      [
        orgId, terms.version, apiKeyHash ?? null, touchKey, now, keysSince(now),
        sent.map((s) => s.event.metric),
        sent.map((s) => s.terms.periodStart),
        sent.map((s) => s.terms.ceiling),
        sent.map((s) => s.event.userId ?? ORG_TOTAL),
        sent.map((s) => allocationCeiling(s.allocation)),
        sent.map((s) => s.track),
        sent.map((s) => s.event.quantity),
        sent.map((s) => s.event.idempotencyKey),
        sent.map((s) => s.hash),
        sent.map((s) => s.terms.limit),
        sent.map((s) => s.terms.resetsAt),
      ],
      { name: "ledgerline_consume", orgId },
    );
    if (rows[0]?.idx === 0) {
      if (rows[0].outcome === "stale") return "stale";
      throw storeRefusal(rows[0].outcome);
    }

    for (const row of rows) {
      const { index, event, terms: metricTerms, allocation } = sent[row.idx - 1];
      const replayed = { limit: row.answer_limit === null ? null : Number(row.answer_limit), resetsAt: row.answer_resets_at };
      outcomes[index] = toOutcome(row.outcome, event, metricTerms, allocation, Number(row.used), replayed, now);
    }
    return outcomes as EventOutcome[];
  }, RETRYABLE);
}

/** Events the run path can take: one org counter, no allocation, no release, no key twice. */
function isCounterRun(sent: { event: UsageEvent; track: boolean }[]) {
  const [first] = sent;
  const keys = new Set<string>();
  for (const { event, track } of sent) {
    if (track || event.quantity < 0 || event.metric !== first.event.metric || keys.has(event.idempotencyKey)) return false;
    keys.add(event.idempotencyKey);
  }
  return true;
}

function toOutcome(
  outcome: string,
  event: UsageEvent,
  terms: MetricTerms,
  allocation: number | null,
  used: number,
  replayed: { limit: Limit; resetsAt: Date | null } | null,
  now: Date,
): EventOutcome {
  switch (outcome) {
    case "admitted":
      return { ok: true, decision: decisionBody(event.metric, used, terms.limit, terms.resetsAt?.toISOString() ?? null, true) };
    case "replay":
      // The first answer's figures; its metric is this request's (the fingerprints match).
      return { ok: true, decision: decisionBody(event.metric, used, replayed!.limit, replayed!.resetsAt?.toISOString() ?? null, true) };
    case "conflict":
      return {
        ok: false,
        error: new ApiError("idempotency_conflict", `The idempotency key "${event.idempotencyKey}" was already used for a different request.`, {
          idempotencyKey: event.idempotencyKey,
        }),
      };
    case "denied_org":
    case "denied_user":
      if (overflowsCounter(used, event.quantity)) return { ok: false, error: quantityOutOfRange(event.metric, used, event.quantity) };
      return { ok: false, error: denial(event.metric, terms, used, outcome === "denied_user" ? allocation : null, now) };
    default:
      throw new Error(`Unknown outcome ${outcome}`);
  }
}

interface Queued {
  sql: SqlExecutor;
  event: UsageEvent;
  now?: Date;
}

// Concurrent requests for the same org (and key) share one round trip. A
// refusal that concerns the whole batch (the store is down, the org or key is
// gone) fails it whole; any other error is retried request by request, so one
// bad request fails alone.
const submit = createCoalescer<Queued, EventOutcome>(
  async (key, items) => {
    const [orgId, apiKeyHash] = key.split("\u0000");
    return consumeBatch(items[0].sql, orgId, items.map((q) => q.event), { now: items[0].now, apiKeyHash: apiKeyHash || undefined });
  },
  { kind: "consume", isolate: failsAlone },
);

/**
 * Atomically checks and records one usage event. A retry with the same
 * idempotency key returns the first answer; a denial records nothing and
 * throws a 429 ApiError.
 */
export async function consumeUsage(sql: SqlExecutor, request: UsageRequest & { idempotencyKey: string }, options: ConsumeOptions = {}) {
  const { orgId, ...event } = request;
  const key = [orgId, options.apiKeyHash ?? "", options.now?.getTime() ?? ""].join("\u0000");
  const outcome = await submit(key, { sql, event, now: options.now });
  if (!outcome.ok) throw outcome.error;
  return outcome.decision;
}

/**
 * The same decision as consumeUsage, recording nothing: the store's
 * ledgerline_fits asked of the same counters with the same ceilings, without
 * locks. A request that consume would refuse as out of range is refused here
 * the same way.
 */
export async function checkUsage(sql: SqlExecutor, request: UsageRequest, now = new Date()): Promise<UsageDecision> {
  const invalid = invalidQuantity(request.metric, request.quantity);
  if (invalid) throw invalid;
  const org = await loadTerms(sql, request.orgId);
  if (!org) throw new ApiError("not_found", "Organization not found.");
  const member = request.userId ? await memberOf(sql, org, request.userId) : null;
  if (request.userId && !member) throw notAMember(request.userId);
  const terms = termsFor(org.context, request.metric, now);
  const resetsAt = terms.resetsAt?.toISOString() ?? null;
  const allocation = member && METRICS[request.metric].allocatable ? allocationOf(member, request.metric) : null;
  const fit = await readFit(
    sql,
    { orgId: request.orgId, metric: request.metric, periodStart: terms.periodStart },
    request.quantity,
    terms.ceiling,
    member && allocation !== null ? { userId: member.userId, ceiling: allocationCeiling(allocation) } : undefined,
  );
  if (overflowsCounter(fit.org.used + fit.org.held, request.quantity)) throw quantityOutOfRange(request.metric, fit.org.used, request.quantity);
  if (!fit.org.fits) return decisionBody(request.metric, fit.org.used, terms.limit, resetsAt, false);
  if (allocation !== null && !fit.member.fits) return decisionBody(request.metric, fit.member.used, allocation, resetsAt, false);
  return decisionBody(request.metric, fit.org.used, terms.limit, resetsAt, true);
}
