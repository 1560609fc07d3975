/**
 * The store's SQL surface: what the enforcement path, the migration runner and
 * the seed run statements through. lib/db/open.ts gives one over a server pool
 * (node-postgres) or the embedded database (PGlite).
 */
export interface SqlExecutor {
  /** Runs a script of several statements. */
  exec(sql: string): Promise<void>;
  /** `name` makes it a named prepared statement on a server connection: parsed and planned once per connection. */
  query<T>(sql: string, params?: unknown[], options?: { name?: string }): Promise<T[]>;
}
