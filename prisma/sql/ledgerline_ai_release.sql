-- ledgerline_ai_release: its live definition, as Postgres prints it once every migration has run.
-- Last changed by prisma/migrations/20261206010000_enforcement_plans_by_index/migration.sql; change it with a new migration, then `npm run db:functions`.

CREATE OR REPLACE FUNCTION public.ledgerline_ai_release(p_org_id text, p_key_hash text, p_authorization_ids text[])
 RETURNS TABLE(idx integer, outcome text)
 LANGUAGE plpgsql
 SET enable_seqscan TO 'off'
AS $function$
-- One row per request (idx from 1): released, or the hold's status (expired, settled), or
-- not_found. A refusal of the whole batch (not_found, unauthorized) is one row with idx 0.
DECLARE
  v_refusal text := ledgerline_refusal(p_org_id, NULL, p_key_hash);
  h ai_authorizations;
  v_id text;
BEGIN
  IF v_refusal IS NOT NULL THEN
    RETURN QUERY SELECT 0, v_refusal;
    RETURN;
  END IF;
  FOR i IN 1 .. cardinality(p_authorization_ids) LOOP
    v_id := p_authorization_ids[i];
    SELECT * INTO h FROM ai_authorizations a WHERE a.org_id = p_org_id AND a.id = v_id FOR UPDATE;
    IF h.id IS NULL THEN
      RETURN QUERY SELECT i, 'not_found'::text;
    ELSIF h.status = 'held' THEN
      PERFORM ledgerline_ai_unhold(p_org_id, h.user_id, h.period_start, h.hold_micros, h.pool_hold_micros);
      UPDATE ai_authorizations a SET status = 'released' WHERE a.org_id = p_org_id AND a.id = h.id;
      RETURN QUERY SELECT i, 'released'::text;
    ELSE
      RETURN QUERY SELECT i, h.status;
    END IF;
  END LOOP;
END $function$
