/**
 * `npm run db:distribute`: on a Citus cluster (the coordinator at
 * DATABASE_URL, its workers added), applies the migrations and places every
 * table and enforcement function (lib/db/citus/distribution.ts). On a
 * database without the citus extension it says so and changes nothing.
 */
import { distribute, hasCitus } from "@/lib/db/citus/distribution";
import { storeLocation } from "@/lib/db/connection";
import { applyMigrations } from "@/lib/db/migrate";
import { openStore } from "@/lib/db/open";

const store = openStore(storeLocation());
try {
  if (!(await hasCitus(store.sql))) {
    console.log("The citus extension is not installed in this database: nothing to distribute.");
  } else {
    await applyMigrations(store.sql);
    const placed = await distribute(store.sql);
    console.log(placed.length ? `Distributed: ${placed.join(", ")}` : "Every table was already distributed.");
  }
} finally {
  await store.close();
}
