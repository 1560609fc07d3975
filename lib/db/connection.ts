import path from "node:path";

/**
 * Where the store lives: the Postgres server at DATABASE_URL, or else the
 * embedded PGlite database persisted under .data/ (zero set-up for a newcomer).
 */
export type StoreLocation = { kind: "server"; url: string } | { kind: "embedded"; dataDir: string };

export function storeLocation(env: NodeJS.ProcessEnv = process.env): StoreLocation {
  if (env.DATABASE_URL) return { kind: "server", url: env.DATABASE_URL };
  return { kind: "embedded", dataDir: env.PGLITE_DATA_DIR ?? path.join(process.cwd(), ".data", "pglite") };
}
