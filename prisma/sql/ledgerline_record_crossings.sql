-- ledgerline_record_crossings: its live definition, as Postgres prints it once every migration has run.
-- Last changed by prisma/migrations/20261127300000_ai_holds_in_sql/migration.sql; change it with a new migration, then `npm run db:functions`.

CREATE OR REPLACE FUNCTION public.ledgerline_record_crossings(p_org_id text, p_user_id text, p_metric text, p_period_start timestamp with time zone, p_before bigint, p_after bigint, p_limit bigint, p_now timestamp with time zone)
 RETURNS void
 LANGUAGE plpgsql
AS $function$
BEGIN
  IF ledgerline_band(p_before, p_limit) <> ledgerline_band(p_after, p_limit) THEN
    INSERT INTO usage_alerts (org_id, user_id, metric, period_start, threshold, state, used, limit_value, created_at)
    SELECT p_org_id, p_user_id, p_metric, p_period_start, x.threshold, x.state, p_after, p_limit, p_now
    FROM ledgerline_crossings(p_before, p_after, p_limit) x;
  END IF;
END $function$
