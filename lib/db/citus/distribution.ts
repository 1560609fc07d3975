import type { SqlExecutor } from "@/lib/db/sql-executor";

/**
 * Where every table lives on a Citus cluster. Everything that belongs to an
 * org is distributed by `org_id` (`orgs` by `id`) and co-located with `orgs`,
 * so all of one org's rows sit on one worker and every org-scoped statement
 * runs there alone. Plain Postgres and Citus share one schema (the ordinary
 * migrations); this step only tells Citus where each table goes, and runs
 * only where the `citus` extension is installed (`npm run db:distribute`).
 */
export type Placement =
  | { kind: "distributed"; column: string }
  | { kind: "reference"; why: string }
  | { kind: "local"; why: string };

export const DISTRIBUTION: Record<string, Placement> = {
  // Reference tables first: distributed tables' foreign keys point at them.
  users: { kind: "reference", why: "people sign in before an org is known; small, read-mostly, joined to memberships" },
  user_sessions: { kind: "reference", why: "a session is looked up by its id on every signed-in request, before an org is known; points at users" },
  ai_models: { kind: "reference", why: "the model catalog: a few dozen rows every instance reads into its cache, written by platform operators only" },
  verification_tokens: { kind: "reference", why: "email sign-in links are made and used before an org is known, like sessions" },
  api_keys: { kind: "reference", why: "the key -> org lookup happens before the org is known; written only when a key is made or revoked (its last use is in api_key_uses)" },

  orgs: { kind: "distributed", column: "id" },
  memberships: { kind: "distributed", column: "org_id" },
  api_key_uses: { kind: "distributed", column: "org_id" },
  usage_counters: { kind: "distributed", column: "org_id" },
  usage_ledger: { kind: "distributed", column: "org_id" },
  usage_daily: { kind: "distributed", column: "org_id" },
  ai_spend: { kind: "distributed", column: "org_id" },
  ai_authorizations: { kind: "distributed", column: "org_id" },
  credit_accounts: { kind: "distributed", column: "org_id" },
  credit_ledger: { kind: "distributed", column: "org_id" },
  credit_grants: { kind: "distributed", column: "org_id" },
  auto_top_up_settings: { kind: "distributed", column: "org_id" },
  credit_top_ups: { kind: "distributed", column: "org_id" },
  stripe_events: { kind: "distributed", column: "org_id" },
  audit_entries: { kind: "distributed", column: "org_id" },
  usage_alerts: { kind: "distributed", column: "org_id" },
  invitations: { kind: "distributed", column: "org_id" },
  webhook_endpoints: { kind: "distributed", column: "org_id" },
  notifications: { kind: "distributed", column: "org_id" },
  alert_deliveries: { kind: "distributed", column: "org_id" },
  mail_outbox: { kind: "distributed", column: "org_id" },

  stripe_unmatched_events: { kind: "local", why: "Stripe events about no org we know: recorded once, acted on never, read by nobody on the enforcement path" },
  _prisma_migrations: { kind: "local", why: "the migration runner's bookkeeping" },
};

/**
 * The enforcement functions, each delegated by Citus to the worker that holds
 * the org named by its first argument (`p_org_id`), so a call is one round
 * trip to that worker.
 */
export const DISTRIBUTED_FUNCTIONS = [
  "ledgerline_consume_run(text, bigint, text, boolean, timestamptz, timestamptz, text, timestamptz, bigint, bigint, timestamptz, text[], text[], bigint[], text[])",
  "ledgerline_consume(text, bigint, text, boolean, timestamptz, timestamptz, text[], timestamptz[], bigint[], text[], bigint[], boolean[], bigint[], text[], text[], bigint[], timestamptz[])",
  "ledgerline_ai_authorize(text, bigint, text, timestamptz, timestamptz, bigint, timestamptz, text[], text[], bigint[], bigint[], text[], text[], text[])",
  "ledgerline_ai_settle(text, bigint, text, timestamptz, timestamptz, bigint, bigint, text[], bigint[], bigint[], bigint[])",
  "ledgerline_ai_release(text, text, text[])",
];

/** Whether the citus extension is installed in this database. */
export async function hasCitus(db: Pick<SqlExecutor, "query">): Promise<boolean> {
  const rows = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_extension WHERE extname = 'citus'`);
  return rows[0].n > 0;
}

/**
 * Distributes every table not yet distributed, then the functions not yet
 * delegated. Safe to run again: what Citus already knows is left as it is.
 * Returns what it placed.
 */
export async function distribute(db: SqlExecutor): Promise<string[]> {
  const known = new Set(
    (await db.query<{ name: string }>(`SELECT logicalrelid::regclass::text AS name FROM pg_dist_partition`)).map((row) => row.name.replace(/"/g, "")),
  );
  // Citus refuses to distribute a table that tables not yet distributed point at: the foreign keys
  // come off while the tables are placed, and go back on, as they were, once all are.
  const foreignKeys = await db.query<{ table: string; name: string; definition: string }>(
    `SELECT c.conrelid::regclass::text AS table, c.conname AS name, pg_get_constraintdef(c.oid) AS definition
     FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
     WHERE c.contype = 'f' AND n.nspname = current_schema()`,
  );
  const pending = foreignKeys.filter((fk) => !known.has(fk.table.replace(/"/g, "")));
  for (const fk of pending) await db.exec(`ALTER TABLE ${fk.table} DROP CONSTRAINT "${fk.name}"`);
  const placed: string[] = [];
  for (const [table, placement] of Object.entries(DISTRIBUTION)) {
    if (placement.kind === "local" || known.has(table)) continue;
    const call = placement.kind === "reference"
      ? `create_reference_table('${table}')`
      : `create_distributed_table('${table}', '${placement.column}', colocate_with := '${table === "orgs" ? "default" : "orgs"}')`;
    // One script, one connection: the triggers on orgs, memberships and audit_entries run on the shards (docs/scaling.md says why each is safe there).
    await db.exec(`SET citus.enable_unsafe_triggers = on; SELECT ${call}; RESET citus.enable_unsafe_triggers`);
    placed.push(table);
  }
  for (const fk of pending) await db.exec(`ALTER TABLE ${fk.table} ADD CONSTRAINT "${fk.name}" ${fk.definition}`);
  const delegated = new Set(
    (await db.query<{ signature: string }>(
      `SELECT objid::regprocedure::text AS signature FROM pg_dist_object WHERE classid = 'pg_proc'::regclass AND distribution_argument_index IS NOT NULL`,
    )).map((row) => row.signature),
  );
  for (const signature of DISTRIBUTED_FUNCTIONS) {
    const [{ canonical }] = await db.query<{ canonical: string }>(`SELECT $1::regprocedure::text AS canonical`, [signature]);
    if (delegated.has(canonical)) continue;
    await db.query(`SELECT create_distributed_function($1, '$1', colocate_with := 'orgs')`, [signature]);
    placed.push(canonical.replace(/\(.*/, "()"));
  }
  return placed;
}

/** After the migrations: on a Citus coordinator, places what is new (the tables and functions a migration added); elsewhere nothing. */
export async function distributeIfCitus(db: SqlExecutor): Promise<string[]> {
  return (await hasCitus(db)) ? distribute(db) : [];
}
