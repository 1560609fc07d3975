import path from "node:path";
import { z } from "zod";

/**
 * Where the store lives: the Postgres server at DATABASE_URL, or else the
 * embedded PGlite database persisted under .data/ (zero set-up for a newcomer).
 */
export type StoreLocation = { kind: "server"; url: string } | { kind: "embedded"; dataDir: string };

export function storeLocation(env: NodeJS.ProcessEnv = process.env): StoreLocation {
  if (env.DATABASE_URL) return { kind: "server", url: env.DATABASE_URL };
  return { kind: "embedded", dataDir: env.PGLITE_DATA_DIR ?? path.join(process.cwd(), ".data", "pglite") };
}

const settingsSchema = z.object({
  /**
   * Connections per app instance: the bound on what one instance can ask of
   * Postgres. Postgres does best with a few active connections per core; more
   * only queue inside it (on the 2-core bench machine, 8 serves 4,000 spread
   * decisions a second where 20 serves 3,100). Raise it for a larger server.
   */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(8),
  /** A statement running longer fails (503 to the caller) instead of holding a connection. */
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(10_000),
  /** How this instance's connections are named in pg_stat_activity. */
  DATABASE_APPLICATION_NAME: z.string().min(1).max(63).default("ledgerline"),
  /**
   * On a Citus cluster (DATABASE_URL the coordinator): "workers" sends each
   * org's enforcement calls straight to the worker that holds it
   * (lib/db/citus/worker-routing.ts); "coordinator" sends everything there.
   * Ignored on plain Postgres.
   */
  CITUS_ROUTING: z.enum(["coordinator", "workers"]).default("coordinator"),
});

export interface StoreSettings {
  poolSize: number;
  statementTimeoutMs: number;
  applicationName: string;
  citusRouting: "coordinator" | "workers";
}

/** Pool size, statement timeout, connection name and Citus routing, from the environment; a bad value stops start-up with a clear message. */
export function storeSettings(env: NodeJS.ProcessEnv = process.env): StoreSettings {
  const parsed = settingsSchema.parse(env);
  return {
    poolSize: parsed.DATABASE_POOL_SIZE,
    statementTimeoutMs: parsed.DATABASE_STATEMENT_TIMEOUT_MS,
    applicationName: parsed.DATABASE_APPLICATION_NAME,
    citusRouting: parsed.CITUS_ROUTING,
  };
}
