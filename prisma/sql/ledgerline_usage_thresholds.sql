-- ledgerline_usage_thresholds: its live definition, as Postgres prints it once every migration has run.
-- Written by the migration runner from lib/limits/thresholds.ts (USAGE_THRESHOLDS); change that, then `npm run db:functions`.

CREATE OR REPLACE FUNCTION public.ledgerline_usage_thresholds()
 RETURNS integer[]
 LANGUAGE sql
 IMMUTABLE PARALLEL SAFE
AS $function$ SELECT ARRAY[80, 90, 100] $function$
