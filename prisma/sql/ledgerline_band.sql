-- ledgerline_band: its live definition, as Postgres prints it once every migration has run.
-- Last defined by prisma/migrations/20261127200000_consume_per_event_cost/migration.sql; change it with a new migration, then `npm run db:functions`.

CREATE OR REPLACE FUNCTION public.ledgerline_band(used bigint, lim bigint)
 RETURNS integer
 LANGUAGE sql
 IMMUTABLE
AS $function$
  SELECT CASE
    WHEN lim IS NULL OR lim <= 0 THEN 0
    WHEN used * 100 >= 100 * lim THEN 3
    WHEN used * 100 >= 90 * lim THEN 2
    WHEN used * 100 >= 80 * lim THEN 1
    ELSE 0
  END
$function$
