/**
 * `webServer` step of the e2e run: creates the database named in
 * E2E_DATABASE_URL (dropping a leftover of the same name), applies the
 * migrations and seeds the demo orgs, exactly as `npm run db:seed` would.
 */
import pg from "pg";
import { applyMigrations } from "@/lib/db/migrate";
import { openStore } from "@/lib/db/open";
import { seedDemo } from "@/lib/demo/seed";
import { databaseName, serverUrl } from "./database";

const url = process.env.E2E_DATABASE_URL;
if (!url) throw new Error("E2E_DATABASE_URL is not set (playwright.config.ts sets it).");
const name = databaseName(url);

const admin = new pg.Client({ connectionString: serverUrl(url).toString() });
await admin.connect();
await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
await admin.query(`CREATE DATABASE ${name}`);
await admin.end();

const store = openStore({ kind: "server", url });
await applyMigrations(store.sql);
await seedDemo(store.sql);
await store.close();
console.log(`e2e database ${name} migrated and seeded`);
