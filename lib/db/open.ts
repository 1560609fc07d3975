import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "@/lib/generated/prisma/client";
import type { StoreLocation } from "./connection";
import type { SqlExecutor } from "./migrate";

export interface OpenStore {
  prisma: PrismaClient;
  /** Raw access for migrations and seeding. */
  sql: SqlExecutor;
  /** True when requests cannot run concurrently (embedded PGlite is one connection). */
  singleConnection: boolean;
  close(): Promise<void>;
}

/** Statement timeout on the server: a slow query fails instead of piling up connections. */
const STATEMENT_TIMEOUT_MS = 10_000;

export function openStore(
  location: StoreLocation,
  { poolSize = 20, statementTimeoutMs = STATEMENT_TIMEOUT_MS } = {},
): OpenStore {
  if (location.kind === "server") {
    const pool = new pg.Pool({
      connectionString: location.url,
      max: poolSize,
      statement_timeout: statementTimeoutMs,
      connectionTimeoutMillis: 5_000,
    });
    const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
    return {
      prisma,
      singleConnection: false,
      sql: {
        exec: async (text) => void (await pool.query(text)),
        query: async (text, params) => (await pool.query(text, params as unknown[])).rows,
      },
      close: async () => {
        await prisma.$disconnect();
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
