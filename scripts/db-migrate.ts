/** `npm run db:migrate`: applies prisma/migrations to the store at DATABASE_URL, or the embedded one; on Citus, places what is new. */
import { storeLocation } from "@/lib/db/connection";
import { distributeIfCitus } from "@/lib/db/citus/distribution";
import { applyMigrations } from "@/lib/db/migrate";
import { openStore } from "@/lib/db/open";

const store = openStore(storeLocation());
const applied = await applyMigrations(store.sql);
console.log(applied.length ? `Applied: ${applied.join(", ")}` : "The database is up to date.");
const placed = await distributeIfCitus(store.sql);
if (placed.length) console.log(`Placed on the Citus cluster: ${placed.join(", ")}`);
await store.close();
