-- ledgerline_band: its live definition, as Postgres prints it once every migration has run.
-- Last changed by prisma/migrations/20261202000000_one_cap_decision/migration.sql; change it with a new migration, then `npm run db:functions`.

CREATE OR REPLACE FUNCTION public.ledgerline_band(used bigint, lim bigint)
 RETURNS integer
 LANGUAGE sql
 IMMUTABLE
AS $function$
  SELECT CASE WHEN lim IS NULL OR lim <= 0 THEN 0
    ELSE (SELECT count(*)::int FROM unnest(ledgerline_usage_thresholds()) AS t WHERE used * 100 >= t * lim) END
$function$
