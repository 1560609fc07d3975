/**
 * `npm run db:functions`: writes prisma/sql/<function>.sql, the live
 * definition of every SQL function, from the database at DATABASE_URL after
 * applying the migrations (use a scratch database; tests check the files).
 */
import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { definingMigrations, FUNCTIONS_DIR, functionFile, migratedFunctions } from "@/lib/db/function-definitions";
import { storeLocation } from "@/lib/db/connection";
import { applyMigrations } from "@/lib/db/migrate";
import { openStore } from "@/lib/db/open";

const store = openStore(storeLocation());
await applyMigrations(store.sql);
const functions = await migratedFunctions(store.sql);
const migrations = await definingMigrations();
await store.close();

await mkdir(FUNCTIONS_DIR, { recursive: true });
for (const file of await readdir(FUNCTIONS_DIR)) if (file.endsWith(".sql")) await rm(path.join(FUNCTIONS_DIR, file));
for (const [name, definition] of functions) await writeFile(path.join(FUNCTIONS_DIR, `${name}.sql`), functionFile(name, definition, migrations));
console.log(`Wrote ${functions.size} function definitions to ${path.relative(process.cwd(), FUNCTIONS_DIR)}/`);
