import { LRUCache } from "lru-cache";
import { processSingleton } from "@/lib/process/singleton";

/**
 * What settle needs to know of a hold before it can price the call: its
 * model, when it was taken (the catalog version it was priced by) and its
 * period. These never change once the hold is written, so the process that
 * took a hold remembers them, and its settle need not read them back: a pair
 * on one instance is two statements, not three. A settle on another instance,
 * or after the entry was evicted, reads them from the store as before.
 * Entries are keyed by org, so a hold id named under another org's key is
 * never found here; whether the hold is still held is the store's to decide.
 */

export interface HoldFacts {
  model: string;
  createdAt: Date;
  periodStart: Date;
}

/** About 250 bytes an entry: a few megabytes at most. */
const MAX_REMEMBERED = 50_000;

const remembered = () => processSingleton("ai-hold-facts", () => new LRUCache<string, HoldFacts>({ max: MAX_REMEMBERED }));
const keyOf = (orgId: string, authorizationId: string) => `${orgId}\u0000${authorizationId}`;

/** After the store admitted the holds: what settle will need of them. */
export function rememberHolds(orgId: string, holds: { authorizationId: string; facts: HoldFacts }[]) {
  for (const { authorizationId, facts } of holds) remembered().set(keyOf(orgId, authorizationId), facts);
}

/** Every hold's facts, or null when any is not remembered here (then the caller reads them all). */
export function recallHolds(orgId: string, authorizationIds: string[]): Map<string, HoldFacts> | null {
  const found = new Map<string, HoldFacts>();
  for (const id of authorizationIds) {
    const facts = remembered().get(keyOf(orgId, id));
    if (!facts) return null;
    found.set(id, facts);
  }
  return found;
}

/** A settled hold is settled for good: a replay reads the store. */
export function forgetHolds(orgId: string, authorizationIds: string[]) {
  for (const id of authorizationIds) remembered().delete(keyOf(orgId, id));
}
