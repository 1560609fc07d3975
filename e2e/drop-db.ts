import pg from "pg";
import { databaseName, serverUrl } from "./database";

/** globalTeardown: drops the run's database, unless E2E_KEEP_DATABASE is set for a look afterwards. */
export default async function dropDatabase() {
  const url = process.env.E2E_DATABASE_URL;
  if (!url || process.env.E2E_KEEP_DATABASE) return;
  const admin = new pg.Client({ connectionString: serverUrl(url).toString() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${databaseName(url)} WITH (FORCE)`);
  await admin.end();
}
