-- A counter's key split back into its parts, as a set-returning function so that Postgres inlines
-- it where ledgerline_consume joins it (a SQL function it cannot inline is parsed and planned
-- again in every transaction that calls it).
DROP FUNCTION ledgerline_counter_key(text);
CREATE FUNCTION ledgerline_counter_key(key text)
RETURNS TABLE(metric text, period_start timestamptz, user_id text)
LANGUAGE sql IMMUTABLE
AS $function$
  SELECT split_part(key, '|', 1), split_part(key, '|', 2)::timestamptz,
         substr(key, length(split_part(key, '|', 1)) + length(split_part(key, '|', 2)) + 3)
$function$;
