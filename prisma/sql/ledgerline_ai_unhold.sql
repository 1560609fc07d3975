-- ledgerline_ai_unhold: its live definition, as Postgres prints it once every migration has run.
-- Last changed by prisma/migrations/20261127300000_ai_holds_in_sql/migration.sql; change it with a new migration, then `npm run db:functions`.

CREATE OR REPLACE FUNCTION public.ledgerline_ai_unhold(p_org_id text, p_user_id text, p_period_start timestamp with time zone, p_hold bigint, p_pool_hold bigint)
 RETURNS void
 LANGUAGE plpgsql
AS $function$
BEGIN
  UPDATE usage_counters c SET held = greatest(c.held - p_pool_hold, 0)
  WHERE c.org_id = p_org_id AND c.user_id = '' AND c.metric = 'ai_budget' AND c.period_start = p_period_start;
  IF p_hold > p_pool_hold THEN
    UPDATE credit_accounts a SET held_micros = greatest(a.held_micros - (p_hold - p_pool_hold), 0) WHERE a.org_id = p_org_id;
  END IF;
  UPDATE usage_counters c SET held = greatest(c.held - p_hold, 0)
  WHERE c.org_id = p_org_id AND c.user_id = p_user_id AND c.metric = 'ai_budget' AND c.period_start = p_period_start;
END $function$
