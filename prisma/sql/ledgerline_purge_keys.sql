-- ledgerline_purge_keys: its live definition, as Postgres prints it once every migration has run.
-- Last changed by prisma/migrations/20261206010000_enforcement_plans_by_index/migration.sql; change it with a new migration, then `npm run db:functions`.

CREATE OR REPLACE FUNCTION public.ledgerline_purge_keys(p_org_id text, p_before timestamp with time zone, p_limit integer)
 RETURNS integer
 LANGUAGE plpgsql
 SET enable_seqscan TO 'off'
AS $function$
-- Deletes up to p_limit of the org's idempotency keys created before p_before, oldest first; returns how many.
DECLARE
  v_deleted integer;
BEGIN
  PERFORM set_config('synchronous_commit', 'off', true);
  DELETE FROM idempotency_keys k
  WHERE k.org_id = p_org_id AND k.created_at < p_before AND k.key IN (
    SELECT x.key FROM idempotency_keys x WHERE x.org_id = p_org_id AND x.created_at < p_before ORDER BY x.created_at LIMIT p_limit);
  GET DIAGNOSTICS v_deleted = ROW_COUNT;
  RETURN v_deleted;
END $function$
