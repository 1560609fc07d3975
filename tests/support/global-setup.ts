import pg from "pg";
import { createClusterDatabase, dropClusterDatabase } from "@/lib/db/citus/cluster-database";
import { distribute } from "@/lib/db/citus/distribution";
import { applyMigrations } from "@/lib/db/migrate";
import { openStore } from "@/lib/db/open";

/**
 * With DATABASE_URL set, every run gets a fresh database on that server (named
 * ledgerline_test_<time>), migrated by our runner, and dropped afterwards.
 * Without it, tests run on an in-memory PGlite opened by each test file.
 * With LEDGERLINE_TEST_CITUS=1 (`npm run test:citus`), DATABASE_URL is a Citus
 * coordinator: the fresh database is created on every node and distributed
 * (lib/db/citus) after the migrations.
 * Refuses any server that is not on this machine: tests create and drop databases.
 */
export default async function setup() {
  const base = process.env.DATABASE_URL;
  if (!base) return;
  const url = new URL(base);
  if (!["127.0.0.1", "localhost", "::1", "[::1]"].includes(url.hostname)) {
    throw new Error(`Refusing to run tests against a non-local database (${url.hostname}).`);
  }
  const name = `ledgerline_test_${Date.now()}_${process.pid}`;
  const citus = process.env.LEDGERLINE_TEST_CITUS === "1";
  if (citus) {
    url.href = await createClusterDatabase(base, name);
  } else {
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    url.pathname = `/${name}`;
  }
  process.env.DATABASE_URL = url.toString();
  process.env.LEDGERLINE_TEST_DATABASE = name;
  const store = openStore({ kind: "server", url: url.toString() });
  await applyMigrations(store.sql);
  if (citus) await distribute(store.sql);
  await store.close();

  return async () => {
    if (citus) return dropClusterDatabase(base, name);
    const cleanup = new pg.Client({ connectionString: base });
    await cleanup.connect();
    await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await cleanup.end();
  };
}
