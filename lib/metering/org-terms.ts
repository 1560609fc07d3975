import { LRUCache } from "lru-cache";
import { ApiError } from "@/lib/api/errors";
import { isStoreUnavailable } from "@/lib/api/respond";
import type { SqlExecutor } from "@/lib/db/sql-executor";
import type { LimitOverrides, PlanId } from "@/lib/limits/plans";
import { processSingleton } from "@/lib/process/singleton";
import type { Member, OrgContext } from "./org-context";

/**
 * A per-process cache of what enforcement needs to know about an org. Entries
 * carry the org's config_version; the store refuses a batch computed from an
 * older version (the version moves with every change to plan, anchor,
 * overrides or memberships), and the caller then reloads. So the cache saves a
 * round trip per request without ever applying stale terms.
 *
 * Both caches here are bounded (least recently used go first): what a tenant
 * sends, such as a flood of unknown user ids, can churn them but never grow
 * the process.
 */
export interface OrgTerms {
  context: OrgContext;
  version: number;
}

const orgCache = () => processSingleton("org-terms", () => new LRUCache<string, Promise<OrgTerms | null>>({ max: 10_000 }));

// userId -> allocations (null: not a member), per org and config version, so a
// membership change is never served from here (the version moved).
const memberCache = () =>
  processSingleton("org-members", () =>
    new LRUCache<string, { member: Member | null }>({
      max: 50_000,
      // User ids are up to 200 characters: bound the bytes as well as the count.
      maxSize: 16 * 1024 * 1024,
      sizeCalculation: (_value, key) => 2 * key.length + 96,
    }));

/** The org's terms as they are now, bypassing the cache (for reads that go nowhere near the version check). */
export async function loadTerms(sql: SqlExecutor, orgId: string): Promise<OrgTerms | null> {
  const [org] = await sql.query<{
    plan: PlanId; billing_anchor: Date; limit_overrides: LimitOverrides; config_version: string;
  }>(`SELECT plan, billing_anchor, limit_overrides, config_version::text FROM orgs WHERE id = $1`, [orgId]);
  if (!org) return null;
  return {
    context: {
      id: orgId,
      plan: org.plan,
      billingAnchor: new Date(org.billing_anchor),
      overrides: org.limit_overrides ?? {},
    },
    version: Number(org.config_version),
  };
}

export function orgTerms(sql: SqlExecutor, orgId: string): Promise<OrgTerms | null> {
  const cache = orgCache();
  let entry = cache.get(orgId);
  if (!entry) {
    const loading = loadTerms(sql, orgId);
    loading.catch(() => {
      if (cache.get(orgId) === loading) cache.delete(orgId);
    });
    cache.set(orgId, (entry = loading));
  }
  return entry;
}

export function forgetOrgTerms(orgId: string) {
  orgCache().delete(orgId);
}

const MAX_ATTEMPTS = 5;

/**
 * Runs a store call computed from the org's cached terms. When the store
 * answers "stale" (the terms changed since they were cached) they are reloaded
 * and the call made again; so is a call that failed with one of
 * `retryableCodes` (SQLSTATEs of errors that undid the whole call).
 */
export async function withOrgTerms<T>(
  sql: SqlExecutor,
  orgId: string,
  call: (terms: OrgTerms) => Promise<T | "stale">,
  retryableCodes: readonly string[] = [],
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const terms = await orgTerms(sql, orgId);
    if (!terms) throw new ApiError("not_found", "Organization not found.");
    let result: T | "stale";
    try {
      result = await call(terms);
    } catch (error) {
      if (retryableCodes.includes((error as { code?: string }).code ?? "") && attempt < MAX_ATTEMPTS) continue;
      throw error;
    }
    if (result !== "stale") return result;
    forgetOrgTerms(orgId);
    if (attempt >= MAX_ATTEMPTS) throw new Error(`The terms of org ${orgId} kept changing during enforcement.`);
  }
}

/**
 * Runs `run` again, up to MAX_ATTEMPTS times, while it fails with one of
 * `codes`: for a statement that changed nothing when it failed (a deadlock),
 * where no org terms are needed (withOrgTerms retries the same way around them).
 */
export async function retryingOn<T>(codes: readonly string[], run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (!codes.includes((error as { code?: string }).code ?? "") || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}

/** The error for a call ledgerline_refusal turned away: the key, or the org. */
export function storeRefusal(outcome: string): Error {
  if (outcome === "unauthorized") return new ApiError("unauthorized", "This API key is not valid or was revoked.");
  if (outcome === "not_found") return new ApiError("not_found", "Organization not found.");
  return new Error(`Unknown outcome ${outcome}`);
}

/**
 * Whether a coalesced batch that failed with this error is re-run request by
 * request: yes, unless the error concerns the whole batch (the store is down,
 * or the org or key was refused), which would fail every request alike.
 */
export const failsAlone = (error: unknown) => !(error instanceof ApiError) && !isStoreUnavailable(error);

/** The answer for usage or AI work attributed to someone outside the org. */
export const notAMember = (userId: string) => new ApiError("forbidden", `User "${userId}" is not a member of this organization.`);

const memberKey = (terms: OrgTerms, userId: string) => `${terms.context.id}\u0000${terms.version}\u0000${userId}`;

/** Each user's allocations, or null for someone outside the org: cached, and one query for all the ids not cached. */
export async function membersOf(sql: SqlExecutor, terms: OrgTerms, userIds: Iterable<string>): Promise<Map<string, Member | null>> {
  const cache = memberCache();
  const found = new Map<string, Member | null>();
  const missing: string[] = [];
  for (const userId of new Set(userIds)) {
    const cached = cache.get(memberKey(terms, userId));
    if (cached) found.set(userId, cached.member);
    else missing.push(userId);
  }
  if (!missing.length) return found;
  const rows = await sql.query<{ user_id: string; ai_allocation_micros: string | null; enrichment_allocation: string | null }>(
    `SELECT user_id, ai_allocation_micros::text, enrichment_allocation::text FROM memberships WHERE org_id = $1 AND user_id = ANY($2::text[])`,
    [terms.context.id, missing],
  );
  const members = new Map(rows.map((row) => [row.user_id, {
    userId: row.user_id,
    aiAllocationMicros: row.ai_allocation_micros === null ? null : Number(row.ai_allocation_micros),
    enrichmentAllocation: row.enrichment_allocation === null ? null : Number(row.enrichment_allocation),
  }]));
  for (const userId of missing) {
    const member = members.get(userId) ?? null;
    cache.set(memberKey(terms, userId), { member });
    found.set(userId, member);
  }
  return found;
}

export async function memberOf(sql: SqlExecutor, terms: OrgTerms, userId: string): Promise<Member | null> {
  return (await membersOf(sql, terms, [userId])).get(userId) ?? null;
}
