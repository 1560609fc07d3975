import { ADMIN_ROLES } from "@/lib/auth/roles";
import { USAGE_THRESHOLDS } from "@/lib/limits/thresholds";
import type { SqlExecutor } from "./sql-executor";

/**
 * SQL functions whose body is a constant of lib/limits, written by the
 * migration runner after every run so that the store and the app read the
 * same value from one place. Each is IMMUTABLE, and a single expression
 * where it is called per event, so that Postgres inlines it into the plans
 * that call it (ledgerline_band below says what a subquery cost).
 */
export const GENERATED_FUNCTIONS: Record<string, { source: string; signature: string; body: () => string }> = {
  /** The alert thresholds, percent of a limit (ledgerline_crossings; ledgerline_band writes them in). */
  ledgerline_usage_thresholds: {
    source: "lib/limits/thresholds.ts (USAGE_THRESHOLDS)",
    signature: "() RETURNS integer[] LANGUAGE sql IMMUTABLE PARALLEL SAFE",
    body: () => `SELECT ARRAY[${Object.values(USAGE_THRESHOLDS).map((t) => Math.trunc(t)).join(", ")}]`,
  },
  /**
   * How many thresholds `used` has reached of `lim` (0 without a limit): an alert is looked for
   * when a counter's band changes. One comparison per threshold, so that Postgres inlines it into
   * the statements and PL/pgSQL expressions that call it: written with a subquery over
   * ledgerline_usage_thresholds(), it was parsed and planned again in every transaction that
   * called it, a quarter of a lone consume's time in Postgres.
   */
  ledgerline_band: {
    source: "lib/limits/thresholds.ts (USAGE_THRESHOLDS)",
    signature: "(used bigint, lim bigint) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE",
    body: () => `SELECT CASE WHEN lim IS NULL OR lim <= 0 THEN 0 ELSE ${
      Object.values(USAGE_THRESHOLDS).map((t) => `(used * 100 >= ${Math.trunc(t)} * lim)::int`).join(" + ")} END`,
  },
  /** Who is told when an automatic top-up is refused (ledgerline_auto_top_up): the roles isAdmin admits. */
  ledgerline_admin_roles: {
    source: "lib/auth/roles.ts (ADMIN_ROLES)",
    signature: "() RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE",
    body: () => `SELECT ARRAY[${ADMIN_ROLES.map((role) => `'${role}'`).join(", ")}]::text[]`,
  },
};

/** (Re)defines each generated function whose live body differs from its constant; a no-op otherwise, so concurrent starts do not collide. */
export async function writeGeneratedFunctions(db: SqlExecutor): Promise<string[]> {
  const written: string[] = [];
  for (const [name, { signature, body }] of Object.entries(GENERATED_FUNCTIONS)) {
    const wanted = body();
    const [live] = await db.query<{ body: string | null }>(
      `SELECT p.prosrc AS body FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = current_schema() AND p.proname = $1`,
      [name],
    );
    if (live?.body?.trim() === wanted) continue;
    await db.exec(`CREATE OR REPLACE FUNCTION ${name}${signature} AS $$ ${wanted} $$`);
    written.push(name);
  }
  return written;
}
