import { mkdtemp, mkdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { applyMigrations, readMigrations } from "@/lib/db/migrate";
import { openStore } from "@/lib/db/open";

async function migrationsDir(files: Record<string, string>) {
  const dir = await mkdtemp(path.join(tmpdir(), "migrations-"));
  for (const [name, sql] of Object.entries(files)) {
    await mkdir(path.join(dir, name));
    await writeFile(path.join(dir, name, "migration.sql"), sql);
  }
  return dir;
}

describe("migration runner", () => {
  it("applies pending migrations once, in order, in Prisma's bookkeeping table", async () => {
    const store = openStore({ kind: "embedded", dataDir: "memory://" });
    const dir = await migrationsDir({
      "20260101000000_a": "CREATE TABLE a (id int);",
      "20260102000000_b": "ALTER TABLE a ADD COLUMN name text; CREATE TABLE b (id int);",
    });
    expect(await applyMigrations(store.sql, dir)).toEqual(["20260101000000_a", "20260102000000_b"]);
    expect(await applyMigrations(store.sql, dir)).toEqual([]);
    const rows = await store.sql.query<{ migration_name: string; checksum: string }>(
      `SELECT migration_name, checksum FROM "_prisma_migrations" ORDER BY migration_name`);
    const expected = await readMigrations(dir);
    expect(rows).toEqual(expected.map((m) => ({ migration_name: m.name, checksum: m.checksum })));
    await store.close();
  });

  it("rolls a failing migration back whole and refuses an edited one", async () => {
    const store = openStore({ kind: "embedded", dataDir: "memory://" });
    const broken = await migrationsDir({ "20260101000000_a": "CREATE TABLE a (id int); SELECT * FROM missing;" });
    await expect(applyMigrations(store.sql, broken)).rejects.toThrow(/20260101000000_a failed/);
    expect(await store.sql.query(`SELECT 1 FROM pg_tables WHERE tablename = 'a'`)).toHaveLength(0);

    const good = await migrationsDir({ "20260101000000_a": "CREATE TABLE a (id int);" });
    await applyMigrations(store.sql, good);
    await writeFile(path.join(good, "20260101000000_a", "migration.sql"), "CREATE TABLE a (id bigint);");
    await expect(applyMigrations(store.sql, good)).rejects.toThrow(/edited after it was applied/);
    await store.close();
  });

  it("applies the project's own migrations to an empty database", async () => {
    const store = openStore({ kind: "embedded", dataDir: "memory://" });
    const applied = await applyMigrations(store.sql);
    expect(applied.length).toBeGreaterThan(0);
    expect(await store.sql.query(`SELECT 1 FROM pg_tables WHERE tablename = 'usage_counters'`)).toHaveLength(1);
    await store.close();
  });
});
