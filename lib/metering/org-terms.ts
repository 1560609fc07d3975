import { ApiError } from "@/lib/api/errors";
import type { SqlExecutor } from "@/lib/db/migrate";
import type { LimitOverrides, PlanId } from "@/lib/limits/plans";
import type { Member, OrgContext } from "./org-context";

/**
 * A per-process cache of what enforcement needs to know about an org. Entries
 * carry the org's config_version; the store refuses a batch computed from an
 * older version (the version moves with every change to plan, anchor,
 * overrides or memberships), and the caller then reloads. So the cache saves a
 * round trip per request without ever applying stale terms.
 */
export interface OrgTerms {
  context: OrgContext;
  version: number;
  /** userId -> allocations, or null for a user outside the org; filled on demand. */
  members: Map<string, Member | null>;
}

const MAX_ENTRIES = 10_000;
const cache = new Map<string, Promise<OrgTerms | null>>();

/** The org's terms as they are now, bypassing the cache (for reads that go nowhere near the version check). */
export async function loadTerms(sql: SqlExecutor, orgId: string): Promise<OrgTerms | null> {
  const [org] = await sql.query<{
    plan: PlanId; billing_anchor: Date; ai_paused: boolean; limit_overrides: LimitOverrides; config_version: string;
  }>(`SELECT plan, billing_anchor, ai_paused, limit_overrides, config_version::text FROM orgs WHERE id = $1`, [orgId]);
  if (!org) return null;
  return {
    context: {
      id: orgId,
      plan: org.plan,
      billingAnchor: new Date(org.billing_anchor),
      aiPaused: org.ai_paused,
      overrides: org.limit_overrides ?? {},
    },
    version: Number(org.config_version),
    members: new Map(),
  };
}

export function orgTerms(sql: SqlExecutor, orgId: string): Promise<OrgTerms | null> {
  let entry = cache.get(orgId);
  if (!entry) {
    if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
    entry = loadTerms(sql, orgId);
    entry.catch(() => cache.delete(orgId));
    cache.set(orgId, entry);
  }
  return entry;
}

export function forgetOrgTerms(orgId: string) {
  cache.delete(orgId);
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

/** The error for a call ledgerline_refusal turned away: the key, or the org. */
export function storeRefusal(outcome: string): Error {
  if (outcome === "unauthorized") return new ApiError("unauthorized", "This API key is not valid or was revoked.");
  if (outcome === "not_found") return new ApiError("not_found", "Organization not found.");
  return new Error(`Unknown outcome ${outcome}`);
}

/** The answer for usage or AI work attributed to someone outside the org. */
export const notAMember = (userId: string) => new ApiError("forbidden", `User "${userId}" is not a member of this organization.`);

export async function memberOf(sql: SqlExecutor, terms: OrgTerms, userId: string): Promise<Member | null> {
  if (terms.members.has(userId)) return terms.members.get(userId)!;
  const [row] = await sql.query<{ ai_allocation_micros: string | null; enrichment_allocation: string | null }>(
    `SELECT ai_allocation_micros::text, enrichment_allocation::text FROM memberships WHERE org_id = $1 AND user_id = $2`,
    [terms.context.id, userId],
  );
  const member = row
    ? {
        userId,
        aiAllocationMicros: row.ai_allocation_micros === null ? null : Number(row.ai_allocation_micros),
        enrichmentAllocation: row.enrichment_allocation === null ? null : Number(row.enrichment_allocation),
      }
    : null;
  terms.members.set(userId, member);
  return member;
}
