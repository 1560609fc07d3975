import { z } from "zod";
import type { SqlExecutor } from "@/lib/db/sql-executor";

/**
 * The idempotency window. A consume's key, with its stored answer, is kept
 * for at least IDEMPOTENCY_WINDOW_HOURS (24 by default, as Stripe keeps its
 * keys): a retry within it replays the first answer. Older keys are purged in
 * small batches, and a retry after that is a new request. The ledger keeps
 * every event's key for good; only the replay record goes.
 */
const windowEnv = z.object({
  IDEMPOTENCY_WINDOW_HOURS: z.coerce.number().int().min(24).max(24 * 400).default(24),
  /** How often the server process runs a purge pass; 0 leaves purging to another process. */
  IDEMPOTENCY_PURGE_INTERVAL_MS: z.coerce.number().int().min(0).max(3_600_000).default(60_000),
});

export function idempotencySettings(env: Record<string, string | undefined> = process.env) {
  const parsed = windowEnv.parse(env);
  return { windowMs: parsed.IDEMPOTENCY_WINDOW_HOURS * 3_600_000, intervalMs: parsed.IDEMPOTENCY_PURGE_INTERVAL_MS };
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

const state = globalThis as unknown as { ledgerlinePurge?: NodeJS.Timeout };

/**
 * Runs a purge pass in this server process every minute (IDEMPOTENCY_PURGE_INTERVAL_MS).
 * Several instances may purge at once: each delete is of rows older than the
 * window, so two passes only ever find each other's work already done.
 */
export function startIdempotencyPurge(sql: () => SqlExecutor, env: Record<string, string | undefined> = process.env) {
  const { windowMs, intervalMs } = idempotencySettings(env);
  if (!intervalMs || state.ledgerlinePurge) return;
  let failing = false;
  const tick = async () => {
    try {
      await purgeExpiredKeys(sql(), { olderThan: new Date(Date.now() - windowMs) });
      if (failing) console.info("Idempotency purge recovered.");
      failing = false;
    } catch (error) {
      if (!failing) console.error("Idempotency purge pass failed; retrying every tick until it recovers:", (error as Error).message);
      failing = true;
    }
    state.ledgerlinePurge = setTimeout(tick, intervalMs).unref();
  };
  state.ledgerlinePurge = setTimeout(tick, intervalMs).unref();
}
