-- ledgerline_refusal: its live definition, as Postgres prints it once every migration has run.
-- Last changed by prisma/migrations/20261127200000_consume_per_event_cost/migration.sql; change it with a new migration, then `npm run db:functions`.

CREATE OR REPLACE FUNCTION public.ledgerline_refusal(p_org_id text, p_config_version bigint, p_key_hash text)
 RETURNS text
 LANGUAGE plpgsql
 STABLE
AS $function$
DECLARE
  v_version bigint;
BEGIN
  SELECT o.config_version INTO v_version FROM orgs o WHERE o.id = p_org_id;
  IF NOT FOUND THEN
    RETURN 'not_found';
  ELSIF p_key_hash IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM api_keys k WHERE k.key_hash = p_key_hash AND k.org_id = p_org_id AND k.revoked_at IS NULL) THEN
    RETURN 'unauthorized';
  ELSIF p_config_version IS NOT NULL AND v_version <> p_config_version THEN
    RETURN 'stale';
  END IF;
  RETURN NULL;
END $function$
