-- ledgerline_fits: its live definition, as Postgres prints it once every migration has run.
-- Last changed by prisma/migrations/20261202000000_one_cap_decision/migration.sql; change it with a new migration, then `npm run db:functions`.

CREATE OR REPLACE FUNCTION public.ledgerline_fits(p_used bigint, p_held bigint, p_quantity bigint, p_ceiling bigint)
 RETURNS boolean
 LANGUAGE sql
 IMMUTABLE PARALLEL SAFE
AS $function$
  -- A release (negative) always fits; otherwise use, open holds and the request stay within the ceiling (NULL: none).
  -- Zero is a request like any other: refused on a counter already past its ceiling (after a downgrade).
  SELECT p_quantity < 0 OR p_ceiling IS NULL OR p_used + p_held + p_quantity <= p_ceiling
$function$
