import { randomUUID } from "node:crypto";
import pg from "pg";

/**
 * Empty databases of a test file's own, on the server DATABASE_URL names (the tests that use them
 * run only on a server), each named `<prefix>_<random>`; `dropAll` drops every one it made.
 */
export function scratchDatabases(prefix: string) {
  const created: string[] = [];
  const onServer = async (statement: string) => {
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    try {
      await admin.query(statement);
    } finally {
      await admin.end();
    }
  };
  return {
    /** A new empty database's URL. */
    async create(): Promise<string> {
      const name = `${prefix}_${randomUUID().replaceAll("-", "").slice(0, 12)}`;
      await onServer(`CREATE DATABASE ${name}`);
      created.push(name);
      const url = new URL(process.env.DATABASE_URL!);
      url.pathname = `/${name}`;
      return url.toString();
    },
    async dropAll() {
      for (const name of created.splice(0)) await onServer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}
