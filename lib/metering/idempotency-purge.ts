import { z } from "zod";
import type { SqlExecutor } from "@/lib/db/sql-executor";

/**
 * The idempotency window. A consume's key, with its stored answer, is kept
 * for at least IDEMPOTENCY_WINDOW_HOURS (24 by default, as Stripe keeps its
 * keys): a retry within it replays the first answer. Older keys are purged in
 * small batches (by each server's upkeep loop, lib/metering/store-upkeep.ts),
 * and a retry after that is a new request. The ledger keeps every event's key
 * for good; only the replay record goes.
 */
const windowEnv = z.object({
  IDEMPOTENCY_WINDOW_HOURS: z.coerce.number().int().min(24).max(24 * 400).default(24),
});

/** The window in milliseconds; a setting under 24 hours is refused. */
export function idempotencyWindowMs(env: Record<string, string | undefined> = process.env) {
  return windowEnv.parse(env).IDEMPOTENCY_WINDOW_HOURS * 3_600_000;
}

export interface PurgeOptions {
  /** Keys created before this are purged. */
  olderThan: Date;
  /** Keys read, and deleted per org, per statement: each delete is its own short statement. */
  batchSize?: number;
  /** A pass stops after this many batches; the next pass goes on. */
  maxBatches?: number;
}

/**
 * One purge pass: the oldest keys first, deleted org by org, one statement
 * each (no transaction spans orgs). A delete holds its rows' locks only for
 * its own statement, and enforcement never touches keys this old unless a
 * client retries one at the window's edge: that retry then waits for one
 * small delete at most, and is answered as a replay or as a new request.
 * Returns how many keys were purged.
 */
export async function purgeExpiredKeys(sql: SqlExecutor, { olderThan, batchSize = 1_000, maxBatches = 20 }: PurgeOptions): Promise<number> {
  let purged = 0;
  for (let batch = 0; batch < maxBatches; batch++) {
    const oldest = await sql.query<{ org_id: string; key: string }>(
      `SELECT org_id, key FROM idempotency_keys WHERE created_at < $1 ORDER BY created_at LIMIT $2`,
      [olderThan, batchSize],
      { name: "ledgerline_purge_oldest_keys" },
    );
    const byOrg = new Map<string, string[]>();
    for (const { org_id, key } of oldest) byOrg.set(org_id, [...(byOrg.get(org_id) ?? []), key]);
    for (const [orgId, keys] of byOrg) {
      const deleted = await sql.query<{ key: string }>(
        `DELETE FROM idempotency_keys WHERE org_id = $1 AND key = ANY($2::text[]) AND created_at < $3 RETURNING key`,
        [orgId, keys, olderThan],
        { name: "ledgerline_purge_org_keys", orgId },
      );
      purged += deleted.length;
    }
    if (oldest.length < batchSize) break;
  }
  return purged;
}
