import { z } from "zod";
import { ensureLedgerPartitions, retireKeyIndexes } from "@/lib/db/ledger-partitions";
import type { SqlExecutor } from "@/lib/db/sql-executor";
import { expireDueCredits } from "./credit-grants";
import { idempotencyWindowMs } from "./idempotency";
import { startBackgroundLoop } from "@/lib/process/background-loop";

const upkeepEnv = z.object({
  /** How often the server process runs the upkeep; 0 leaves it to another process. */
  STORE_UPKEEP_INTERVAL_MS: z.coerce.number().int().min(0).max(3_600_000).default(60_000),
});

/**
 * Keeps the store bounded, every minute in each server process: makes the
 * ledger's coming monthly partitions, drops the key index of months the
 * idempotency window has left behind, and expires credit grants past their
 * expiry (for orgs whose AI calls have not done it first). Several instances
 * may run it at once: a partition is made once, an index dropped once (IF
 * EXISTS), and a grant expires once (under its org's credit account lock).
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
      await retireKeyIndexes(sql(), new Date(Date.now() - windowMs));
      await expireDueCredits(sql());
    },
  });
}
