-- ledgerline_counter_key: its live definition, as Postgres prints it once every migration has run.
-- Last changed by prisma/migrations/20261208020000_counter_keys_inlined/migration.sql; change it with a new migration, then `npm run db:functions`.

CREATE OR REPLACE FUNCTION public.ledgerline_counter_key(key text)
 RETURNS TABLE(metric text, period_start timestamp with time zone, user_id text)
 LANGUAGE sql
 IMMUTABLE
AS $function$
  SELECT split_part(key, '|', 1), split_part(key, '|', 2)::timestamptz,
         substr(key, length(split_part(key, '|', 1)) + length(split_part(key, '|', 2)) + 3)
$function$
