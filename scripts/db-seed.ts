/** `npm run db:seed`: (re)creates the demo orgs, people, keys and seven months of history. */
import { storeLocation } from "@/lib/db/connection";
import { applyMigrations } from "@/lib/db/migrate";
import { openStore } from "@/lib/db/open";
import { seedDemo } from "@/lib/demo/seed";

const store = openStore(storeLocation());
await applyMigrations(store.sql);
await seedDemo(store.sql);
console.log("Seeded the demo orgs: Acme, Northwind, Freebie, Summit, Beta Labs.");
await store.close();
