import { z } from "zod";
import { ensureLedgerPartitions } from "@/lib/db/ledger-partitions";
import type { SqlExecutor } from "@/lib/db/sql-executor";
import { expireDueCredits } from "./credit-grants";
import { idempotencyWindowMs, purgeExpiredKeys } from "./idempotency-purge";
import { startBackgroundLoop } from "@/lib/process/background-loop";

const upkeepEnv = z.object({
  /** How often the server process runs the upkeep; 0 leaves it to another process. */
  STORE_UPKEEP_INTERVAL_MS: z.coerce.number().int().min(0).max(3_600_000).default(60_000),
});

/**
 * Keeps the store bounded, every minute in each server process: purges
 * idempotency keys older than the window, makes the ledger's coming monthly
 * partitions, and expires credit grants past their expiry (for orgs whose AI
 * calls have not done it first). Several instances may run it at once: a
 * purge only ever finds another's work already done, a partition is made
 * once, and a grant expires once (under its org's credit account lock).
 */
export function startStoreUpkeep(sql: () => SqlExecutor, env: Record<string, string | undefined> = process.env) {
  const { STORE_UPKEEP_INTERVAL_MS: intervalMs } = upkeepEnv.parse(env);
  const windowMs = idempotencyWindowMs(env);
  startBackgroundLoop({
    name: "store-upkeep",
    intervalMs,
    log: { failed: "store upkeep failed; retrying every tick until it recovers", recovered: "Store upkeep recovered." },
    pass: async () => {
      await ensureLedgerPartitions(sql());
      await purgeExpiredKeys(sql(), { olderThan: new Date(Date.now() - windowMs) });
      await expireDueCredits(sql());
    },
  });
}
