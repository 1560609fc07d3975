import pg from "pg";
import { createClusterDatabase, dropClusterDatabase } from "@/lib/db/citus/cluster-database";
import { distribute } from "@/lib/db/citus/distribution";
import { applyMigrations } from "@/lib/db/migrate";
import { openStore, type OpenStore } from "@/lib/db/open";

/**
 * A fresh database on the local server for one bench run, dropped afterwards;
 * with `citus`, on the local Citus cluster whose coordinator `baseUrl` names,
 * distributed after the migrations.
 */
export async function createBenchDatabase(baseUrl: string, { citus = false } = {}) {
  const url = new URL(baseUrl);
  if (!["127.0.0.1", "localhost", "::1", "[::1]"].includes(url.hostname)) {
    throw new Error("The benchmark only runs against a Postgres server on this machine.");
  }
  const name = `ledgerline_bench_${Date.now()}`;
  if (citus) {
    url.href = await createClusterDatabase(baseUrl, name);
  } else {
    const admin = new pg.Client({ connectionString: baseUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    url.pathname = `/${name}`;
  }
  // Seeding a million rows takes longer than the app's statement timeout allows.
  const store: OpenStore = openStore({ kind: "server", url: url.toString() }, { statementTimeoutMs: 600_000 });
  await applyMigrations(store.sql);
  if (citus) await distribute(store.sql);
  return {
    url: url.toString(),
    name,
    store,
    async drop() {
      await store.close();
      if (citus) return dropClusterDatabase(baseUrl, name);
      const cleanup = new pg.Client({ connectionString: baseUrl });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}
