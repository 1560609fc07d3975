import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { committedFunctions, definingMigrations, functionFile, migratedFunctions } from "@/lib/db/function-definitions";
import { onServer, testStore } from "../support/store";

/**
 * What the migrations build, against what the repository says they build:
 * each SQL function's committed live definition (prisma/sql), and
 * schema.prisma's tables and columns.
 */
describe.skipIf(!onServer)("the migrated database (needs DATABASE_URL: definitions are printed by the server)", () => {
  it("defines exactly the functions in prisma/sql, each as committed", async () => {
    const migrated = await migratedFunctions((await testStore()).sql);
    const committed = await committedFunctions();
    const migrations = await definingMigrations();
    expect([...committed.keys()]).toEqual([...migrated.keys()]);
    for (const [name, definition] of migrated) {
      expect(committed.get(name), `prisma/sql/${name}.sql is stale: run npm run db:functions on a scratch database`).toBe(functionFile(name, definition, migrations));
    }
  });

  it("has the tables and columns schema.prisma describes, and no others", async () => {
    const described = prismaTables(readFileSync("prisma/schema.prisma", "utf8"));
    const rows = await (await testStore()).sql.query<{ table_name: string; column_name: string }>(
      `SELECT c.table_name, c.column_name FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
       WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' AND c.table_name <> '_prisma_migrations'
         AND c.table_name NOT IN (SELECT relname FROM pg_class WHERE relispartition)`,
    );
    const migrated: Record<string, string[]> = {};
    for (const row of rows) (migrated[row.table_name] ??= []).push(row.column_name);
    for (const columns of Object.values(migrated)) columns.sort();
    expect(migrated).toEqual(described);
  });
});

const SCALARS = new Set(["String", "Int", "BigInt", "Boolean", "DateTime", "Json", "Decimal", "Float", "Bytes"]);

/** Table -> sorted column names, from schema.prisma's models (relation fields are not columns). */
function prismaTables(schema: string): Record<string, string[]> {
  const enums = new Set([...schema.matchAll(/^enum\s+(\w+)/gm)].map((m) => m[1]));
  const tables: Record<string, string[]> = {};
  for (const [, model, body] of schema.matchAll(/^model\s+(\w+)\s*\{([\s\S]*?)^\}/gm)) {
    const table = body.match(/@@map\("([^"]+)"\)/)?.[1] ?? model;
    const columns: string[] = [];
    for (const line of body.split("\n").map((l) => l.trim())) {
      const field = line.match(/^(\w+)\s+(\w+)(\[\])?\??/);
      if (!field || line.startsWith("@@") || field[3]) continue;
      if (!SCALARS.has(field[2]) && !enums.has(field[2])) continue;
      columns.push(line.match(/@map\("([^"]+)"\)/)?.[1] ?? field[1]);
    }
    tables[table] = columns.sort();
  }
  return Object.fromEntries(Object.entries(tables).sort(([a], [b]) => a.localeCompare(b)));
}
