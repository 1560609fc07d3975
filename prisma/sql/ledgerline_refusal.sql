-- ledgerline_refusal: its live definition, as Postgres prints it once every migration has run.
-- Last changed by prisma/migrations/20261208010000_ai_holds_in_fewer_statements/migration.sql; change it with a new migration, then `npm run db:functions`.

CREATE OR REPLACE FUNCTION public.ledgerline_refusal(p_org_id text, p_config_version bigint, p_key_hash text, p_ai_paused boolean DEFAULT false)
 RETURNS text
 LANGUAGE plpgsql
 STABLE
AS $function$
-- Why a batch of the org's requests is refused as a whole, or NULL: not_found (no such org),
-- unauthorized (the API key is not the org's, or revoked), stale (the app decided with an older
-- version of the org's terms), and with p_ai_paused, paused (a failed payment paused its AI).
DECLARE
  v_version bigint;
  v_paused boolean;
BEGIN
  SELECT o.config_version, o.ai_paused INTO v_version, v_paused FROM orgs o WHERE o.id = p_org_id;
  IF NOT FOUND THEN
    RETURN 'not_found';
  ELSIF p_key_hash IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM api_keys k WHERE k.key_hash = p_key_hash AND k.org_id = p_org_id AND k.revoked_at IS NULL) THEN
    RETURN 'unauthorized';
  ELSIF p_config_version IS NOT NULL AND v_version <> p_config_version THEN
    RETURN 'stale';
  ELSIF p_ai_paused AND v_paused THEN
    -- Read here, not from the app's cache: a failed payment pauses AI at once.
    RETURN 'paused';
  END IF;
  RETURN NULL;
END $function$
