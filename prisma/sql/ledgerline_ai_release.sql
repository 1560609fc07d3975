-- ledgerline_ai_release: its live definition, as Postgres prints it once every migration has run.
-- Last defined by prisma/migrations/20261202000000_one_cap_decision/migration.sql; change it with a new migration, then `npm run db:functions`.

CREATE OR REPLACE FUNCTION public.ledgerline_ai_release(p_org_id text, p_key_hash text, p_authorization_id text)
 RETURNS text
 LANGUAGE plpgsql
AS $function$
DECLARE
  v_refusal text := ledgerline_refusal(p_org_id, NULL, p_key_hash);
  h ai_authorizations;
BEGIN
  IF v_refusal IS NOT NULL THEN
    RETURN v_refusal;
  END IF;
  SELECT * INTO h FROM ai_authorizations a WHERE a.id = p_authorization_id AND a.org_id = p_org_id FOR UPDATE;
  IF h.id IS NULL THEN
    RETURN 'not_found';
  ELSIF h.status = 'held' THEN
    PERFORM ledgerline_ai_unhold(p_org_id, h.user_id, h.period_start, h.hold_micros, h.pool_hold_micros);
    UPDATE ai_authorizations a SET status = 'released' WHERE a.org_id = p_org_id AND a.id = h.id;
    RETURN 'released';
  END IF;
  RETURN h.status;
END $function$
