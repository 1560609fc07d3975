-- ledgerline_pool_part: its live definition, as Postgres prints it once every migration has run.
-- Last changed by prisma/migrations/20261202000000_one_cap_decision/migration.sql; change it with a new migration, then `npm run db:functions`.

CREATE OR REPLACE FUNCTION public.ledgerline_pool_part(p_amount bigint, p_used bigint, p_held bigint, p_ceiling bigint)
 RETURNS bigint
 LANGUAGE sql
 IMMUTABLE PARALLEL SAFE
AS $function$
  SELECT CASE WHEN p_ceiling IS NULL THEN p_amount ELSE least(p_amount, greatest(0, p_ceiling - p_used - p_held)) END
$function$
