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
  /** Keys deleted per statement, at most: each delete is its own short statement. */
  batchSize?: number;
  /** Orgs read per page of the org list. */
  orgPageSize?: number;
}

/**
 * One purge pass: every org in turn, its keys older than `olderThan` deleted
 * oldest first by the (org_id, created_at) index, at most `batchSize` a
 * statement, until none is left; no transaction spans orgs. Each statement is
 * ledgerline_purge_keys, which commits without waiting for the WAL flush: a
 * purge lost in a crash is redone by the next pass. A pass costs about one
 * statement per org however many keys expired since the last, so at the
 * upkeep's minute it keeps up with any rate; an org with nothing expired costs
 * one index probe. A delete holds its rows' locks only for its own statement,
 * and enforcement never touches keys this old unless a client retries one at
 * the window's edge: that retry then waits for one small delete at most, and
 * is answered as a replay or as a new request. Returns how many keys were purged.
 */
export async function purgeExpiredKeys(sql: SqlExecutor, { olderThan, batchSize = 1_000, orgPageSize = 1_000 }: PurgeOptions): Promise<number> {
  let purged = 0;
  for (let after = ""; ;) {
    const orgs = await sql.query<{ id: string }>(
      `SELECT id FROM orgs WHERE id > $1 ORDER BY id LIMIT $2`,
      [after, orgPageSize],
      { name: "ledgerline_purge_org_page" },
    );
    for (const { id: orgId } of orgs) {
      for (;;) {
        const [{ deleted }] = await sql.query<{ deleted: number }>(
          `SELECT ledgerline_purge_keys($1, $2, $3) AS deleted`,
          [orgId, olderThan, batchSize],
          { name: "ledgerline_purge_keys", orgId },
        );
        purged += deleted;
        if (deleted < batchSize) break;
      }
    }
    if (orgs.length < orgPageSize) return purged;
    after = orgs[orgs.length - 1].id;
  }
}
