import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { MIGRATIONS_DIR, readMigrations } from "./migrate";
import { GENERATED_FUNCTIONS } from "./generated-functions";
import type { SqlExecutor } from "./sql-executor";

/**
 * The live definition of every SQL function, one file each under prisma/sql,
 * as Postgres prints it after all migrations (pg_get_functiondef). Migrations
 * redefine functions over time; these files are where a reader finds what
 * runs now in one step, and a test fails when the two differ
 * (`npm run db:functions` writes them anew from a migrated database).
 */
export const FUNCTIONS_DIR = path.join(process.cwd(), "prisma", "sql");

export async function migratedFunctions(sql: SqlExecutor): Promise<Map<string, string>> {
  const rows = await sql.query<{ name: string; definition: string }>(
    `SELECT p.proname AS name, pg_get_functiondef(p.oid) AS definition
     FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE n.nspname = current_schema() ORDER BY p.proname`,
  );
  return new Map(rows.map((row) => [row.name, row.definition.trimEnd()]));
}

/** The migration that last (re)defines or alters `name`: where a change to it starts. */
export async function definingMigrations(dir = MIGRATIONS_DIR): Promise<Map<string, string>> {
  const defined = new Map<string, string>();
  for (const migration of await readMigrations(dir)) {
    for (const match of migration.sql.matchAll(/(?:CREATE (?:OR REPLACE )?|ALTER )FUNCTION\s+(?:public\.)?(\w+)\b/gi)) defined.set(match[1], migration.name);
  }
  return defined;
}

/** Where a change to `name` starts: the migration that last defines it, or the constant a generated function is written from. */
export function functionOrigin(name: string, migrations: Map<string, string>): string {
  const generated = GENERATED_FUNCTIONS[name];
  if (generated) return `Written by the migration runner from ${generated.source}; change that, then \`npm run db:functions\`.`;
  return `Last changed by prisma/migrations/${migrations.get(name) ?? "?"}/migration.sql; change it with a new migration, then \`npm run db:functions\`.`;
}

export function functionFile(name: string, definition: string, migrations: Map<string, string>): string {
  return [
    `-- ${name}: its live definition, as Postgres prints it once every migration has run.`,
    `-- ${functionOrigin(name, migrations)}`,
    "",
    definition,
    "",
  ].join("\n");
}

export async function committedFunctions(dir = FUNCTIONS_DIR): Promise<Map<string, string>> {
  const files = (await readdir(dir)).filter((f) => f.endsWith(".sql")).sort();
  return new Map(await Promise.all(files.map(async (f) => [f.replace(/\.sql$/, ""), await readFile(path.join(dir, f), "utf8")] as [string, string])));
}
