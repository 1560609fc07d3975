/**
 * Runs before `npm run dev` / `npm start`: applies pending migrations (on a
 * Citus coordinator, placing what they add: lib/db/citus) and, in
 * development or on a demo deployment, seeds the demo into a database that has
 * no orgs yet. In production it first refuses the shipped development values
 * (lib/config/production-safety.ts). Safe to run every time.
 */
import { loadEnvFiles } from "@/lib/config/env-files";
import { isDemoDeployment, refuseUnsafeProduction } from "@/lib/config/production-safety";
import { storeLocation } from "@/lib/db/connection";
import { distributeIfCitus } from "@/lib/db/citus/distribution";
import { applyMigrations } from "@/lib/db/migrate";
import { openStore } from "@/lib/db/open";
import { needsSeed, seedDemo } from "@/lib/demo/seed";

const production = process.env.NODE_ENV === "production";
// The same .env files the server that follows will read (`next dev`, or server.mjs).
loadEnvFiles(production ? "production" : "development");
if (production) refuseUnsafeProduction();

const location = storeLocation();
const store = openStore(location);
const applied = await applyMigrations(store.sql);
if (applied.length) console.log(`Applied migrations: ${applied.join(", ")}`);
const placed = await distributeIfCitus(store.sql);
if (placed.length) console.log(`Placed on the Citus cluster: ${placed.join(", ")}`);
if (await needsSeed(store.sql)) {
  if (!production || isDemoDeployment()) {
    await seedDemo(store.sql);
    console.log("Seeded the demo data (see README for the demo users and API keys).");
  } else {
    console.log("The database has no organizations yet; the demo is seeded only on a demo deployment (LEDGERLINE_DEMO=true). See docs/operations.md.");
  }
}
await store.close();
console.log(location.kind === "embedded" ? `Embedded Postgres at ${location.dataDir}` : "Postgres server from DATABASE_URL");
