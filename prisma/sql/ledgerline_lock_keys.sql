-- ledgerline_lock_keys: its live definition, as Postgres prints it once every migration has run.
-- Last changed by prisma/migrations/20261208000000_ledger_keeps_the_keys/migration.sql; change it with a new migration, then `npm run db:functions`.

CREATE OR REPLACE FUNCTION public.ledgerline_lock_keys(p_org_id text, p_keys text[])
 RETURNS void
 LANGUAGE plpgsql
AS $function$
-- Takes the org's key locks for these keys, held to the end of the transaction: one advisory lock
-- per bucket of the org's keys (16 buckets), in bucket order, so that no two callers deadlock.
-- Every statement that looks for an org's idempotency keys and records them runs after this.
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext(p_org_id), b.bucket)
  FROM (SELECT DISTINCT hashtext(k) & 15 AS bucket FROM unnest(p_keys) AS k ORDER BY 1) b;
END $function$
