/**
 * The store's SQL surface: what the enforcement path, the migration runner and
 * the seed run statements through. lib/db/open.ts gives one over a server pool
 * (node-postgres) or the embedded database (PGlite).
 */
export interface SqlExecutor {
  /** Runs a script of several statements. */
  exec(sql: string): Promise<void>;
  /**
   * `name` makes it a named prepared statement on a server connection: parsed and planned once
   * per connection. `orgId` says the statement is that one org's work: on a Citus cluster with
   * CITUS_ROUTING=workers it is sent to the worker that holds the org.
   */
  query<T>(sql: string, params?: unknown[], options?: { name?: string; orgId?: string }): Promise<T[]>;
}
