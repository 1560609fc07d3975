-- ledgerline_crossings: its live definition, as Postgres prints it once every migration has run.
-- Last changed by prisma/migrations/20261202000000_one_cap_decision/migration.sql; change it with a new migration, then `npm run db:functions`.

CREATE OR REPLACE FUNCTION public.ledgerline_crossings(before bigint, after bigint, lim bigint)
 RETURNS TABLE(threshold integer, state text)
 LANGUAGE sql
 IMMUTABLE
AS $function$
  SELECT t, CASE WHEN after > before THEN 'raised' ELSE 'resolved' END
  FROM unnest(ledgerline_usage_thresholds()) AS t
  WHERE lim IS NOT NULL AND lim > 0
    AND ((before * 100 < t * lim AND after * 100 >= t * lim) OR (after * 100 < t * lim AND before * 100 >= t * lim))
$function$
