/**
 * The e2e run's database: a fresh one per run on the local Postgres server,
 * named in the environment so the runner, its workers and the server agree.
 */

const LOCAL_HOSTS = ["127.0.0.1", "localhost", "::1", "[::1]"];

/** The server's maintenance database, for CREATE/DROP, on the server of `databaseUrl` (or the local default). */
export function serverUrl(databaseUrl = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres"): URL {
  const url = new URL(databaseUrl);
  if (!LOCAL_HOSTS.includes(url.hostname)) throw new Error(`Refusing to create e2e databases on a non-local server (${url.hostname}).`);
  url.pathname = "/postgres";
  return url;
}

export function e2eDatabaseUrl(name: string): string {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`Unsafe database name ${name}`);
  const url = serverUrl();
  url.pathname = `/${name}`;
  return url.toString();
}

export function databaseName(url: string): string {
  const name = new URL(url).pathname.slice(1);
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`Unsafe database name ${name}`);
  return name;
}
