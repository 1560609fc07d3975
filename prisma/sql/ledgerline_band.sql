-- ledgerline_band: its live definition, as Postgres prints it once every migration has run.
-- Written by the migration runner from lib/limits/thresholds.ts (USAGE_THRESHOLDS); change that, then `npm run db:functions`.

CREATE OR REPLACE FUNCTION public.ledgerline_band(used bigint, lim bigint)
 RETURNS integer
 LANGUAGE sql
 IMMUTABLE PARALLEL SAFE
AS $function$ SELECT CASE WHEN lim IS NULL OR lim <= 0 THEN 0 ELSE (used * 100 >= 80 * lim)::int + (used * 100 >= 90 * lim)::int + (used * 100 >= 100 * lim)::int END $function$
