/**
 * Runs before `npm run dev` / `npm start`: applies pending migrations and seeds
 * the demo into a database that has no orgs yet. Safe to run every time.
 */
import { storeLocation } from "@/lib/db/connection";
import { applyMigrations } from "@/lib/db/migrate";
import { openStore } from "@/lib/db/open";
import { needsSeed, seedDemo } from "@/lib/demo/seed";

const location = storeLocation();
const store = openStore(location);
const applied = await applyMigrations(store.sql);
if (applied.length) console.log(`Applied migrations: ${applied.join(", ")}`);
if (await needsSeed(store.sql)) {
  await seedDemo(store.sql);
  console.log("Seeded the demo data (see README for the demo users and API keys).");
}
await store.close();
console.log(location.kind === "embedded" ? `Embedded Postgres at ${location.dataDir}` : "Postgres server from DATABASE_URL");
