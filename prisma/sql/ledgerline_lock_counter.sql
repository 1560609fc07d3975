-- ledgerline_lock_counter: its live definition, as Postgres prints it once every migration has run.
-- Last changed by prisma/migrations/20261208010000_ai_holds_in_fewer_statements/migration.sql; change it with a new migration, then `npm run db:functions`.

CREATE OR REPLACE FUNCTION public.ledgerline_lock_counter(p_org_id text, p_user_id text, p_metric text, p_period_start timestamp with time zone, OUT used bigint, OUT held bigint)
 RETURNS record
 LANGUAGE plpgsql
AS $function$
-- Locks a counter and reads it, making it first when its period has none yet (two callers making
-- it at once: one inserts, the other finds it and locks it).
BEGIN
  SELECT c.used, c.held INTO used, held FROM usage_counters c
  WHERE c.org_id = p_org_id AND c.user_id = p_user_id AND c.metric = p_metric AND c.period_start = p_period_start
  FOR UPDATE;
  IF NOT FOUND THEN
    INSERT INTO usage_counters AS c (org_id, user_id, metric, period_start) VALUES (p_org_id, p_user_id, p_metric, p_period_start)
    ON CONFLICT (org_id, user_id, metric, period_start) DO UPDATE SET used = c.used
    RETURNING c.used, c.held INTO used, held;
  END IF;
END $function$
