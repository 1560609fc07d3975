/** `npm run db:migrate`: applies prisma/migrations to the store at DATABASE_URL, or the embedded one. */
import { storeLocation } from "@/lib/db/connection";
import { applyMigrations } from "@/lib/db/migrate";
import { openStore } from "@/lib/db/open";

const store = openStore(storeLocation());
const applied = await applyMigrations(store.sql);
console.log(applied.length ? `Applied: ${applied.join(", ")}` : "The database is up to date.");
await store.close();
