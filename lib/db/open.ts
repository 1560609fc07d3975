import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { storeSettings, type StoreLocation, type StoreSettings } from "./connection";
import { createWorkerRouter } from "./citus/worker-routing";
import type { SqlExecutor } from "./sql-executor";
import { logger } from "@/lib/observability/log";

export interface OpenStore {
  prisma: PrismaClient;
  /** Raw access for migrations and seeding. */
  sql: SqlExecutor;
  /** True when requests cannot run concurrently (embedded PGlite is one connection). */
  singleConnection: boolean;
  /** The connection pool's state, for the metrics (a server store only). */
  poolStats?: () => { total: number; idle: number; waiting: number };
  close(): Promise<void>;
}

export function openStore(location: StoreLocation, settings: Partial<StoreSettings> = {}): OpenStore {
  const { poolSize, statementTimeoutMs, applicationName, citusRouting } = { ...storeSettings(), ...settings };
  if (location.kind === "server") {
    const poolConfig: pg.PoolConfig = {
      statement_timeout: statementTimeoutMs,
      // Waiting for a free connection is bounded too: a stalled store answers 503, not a growing queue.
      connectionTimeoutMillis: 5_000,
      application_name: applicationName,
    };
    const pool = new pg.Pool({ ...poolConfig, connectionString: location.url, max: poolSize });
    // An idle connection that dies (the server restarts, the network drops) is
    // only dropped from the pool; without this listener it would crash the process.
    pool.on("error", (error) => logger().warn({ err: error }, "Postgres connection lost"));
    const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
    const workers = citusRouting === "workers" ? createWorkerRouter(pool, { url: location.url, poolSize, poolConfig }) : null;
    const poolFor = async (orgId: string | undefined) => (workers && orgId ? ((await workers.poolFor(orgId)) ?? pool) : pool);
    return {
      prisma,
      singleConnection: false,
      poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
      sql: {
        exec: async (text) => void (await pool.query(text)),
        query: async (text, params, options) =>
          (await (await poolFor(options?.orgId)).query({ text, values: params as unknown[], name: options?.name })).rows,
      },
      close: async () => {
        await prisma.$disconnect();
        await workers?.close();
        await pool.end().catch(() => {});
      },
    };
  }
  if (!location.dataDir.includes("://")) mkdirSync(location.dataDir, { recursive: true });
  const pglite = new PGlite(location.dataDir);
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  return {
    prisma,
    singleConnection: true,
    sql: {
      exec: async (text) => void (await pglite.exec(text)),
      query: async <T>(text: string, params?: unknown[]) => (await pglite.query<T>(text, params)).rows,
    },
    close: async () => {
      await prisma.$disconnect();
      await pglite.close();
    },
  };
}
