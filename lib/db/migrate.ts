import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { writeGeneratedFunctions } from "./generated-functions";
import { ensureLedgerPartitions } from "./ledger-partitions";
import type { SqlExecutor } from "./sql-executor";

/**
 * Applies prisma/migrations in Prisma's own layout and bookkeeping table
 * (`_prisma_migrations`, sha-256 checksums), so a database migrated here is one
 * that `prisma migrate deploy` recognises, and the other way round.
 */

export const MIGRATIONS_DIR = path.join(process.cwd(), "prisma", "migrations");

const BOOKKEEPING = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    }),
  );
}

/**
 * Applies every migration not yet recorded, each in its own transaction, and
 * returns the names applied; then writes the generated functions
 * (generated-functions.ts) and makes the ledger's coming months (ledger-partitions.ts). Refuses to run if an applied migration's file has
 * changed since, or a previous attempt failed halfway.
 */
export async function applyMigrations(db: SqlExecutor, dir = MIGRATIONS_DIR): Promise<string[]> {
  await db.exec(BOOKKEEPING);
  const applied = await db.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
    `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL`,
  );
  const byName = new Map(applied.map((row) => [row.migration_name, row]));
  const done: string[] = [];
  for (const migration of await readMigrations(dir)) {
    const previous = byName.get(migration.name);
    if (previous) {
      if (!previous.finished_at) throw new Error(`Migration ${migration.name} failed earlier; resolve it by hand.`);
      if (previous.checksum !== migration.checksum) {
        throw new Error(`Migration ${migration.name} was edited after it was applied.`);
      }
      continue;
    }
    const id = randomUUID();
    await db.exec(
      `BEGIN;\n${migration.sql}\n;INSERT INTO "_prisma_migrations" (id, checksum, migration_name, finished_at, applied_steps_count)
       VALUES ('${id}', '${migration.checksum}', '${migration.name.replace(/'/g, "''")}', now(), 1);\nCOMMIT;`,
    ).catch(async (error) => {
      await db.exec("ROLLBACK").catch(() => {});
      throw new Error(`Migration ${migration.name} failed: ${(error as Error).message}`);
    });
    done.push(migration.name);
  }
  await writeGeneratedFunctions(db);
  await ensureLedgerPartitions(db);
  return done;
}
