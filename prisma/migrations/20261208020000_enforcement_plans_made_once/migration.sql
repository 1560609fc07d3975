-- The enforcement functions' statements are planned once per connection, never per call.
--
-- PL/pgSQL plans a statement for each call's values (a custom plan) until it judges a generic
-- plan as cheap, and keeps planning it per call when a custom plan looks cheaper: a statement on
-- the partitioned ledger always does, because a custom plan leaves out the partitions its values
-- rule out. The general consume's look for its keys was planned again on every call (a quarter of
-- its time: a lone event 0.83 ms, 0.41 with generic plans, pgbench with one client). Every
-- statement of these functions finds its rows by an index's whole key whatever the values
-- (docs/performance.md), so they run with generic plans: planned once per connection, the ledger's
-- partitions pruned when the statement starts. On Citus the distribution step takes the setting off
-- again (lib/db/citus/distribution.ts): a worker routes a statement by its org only when it sees
-- the value.
ALTER FUNCTION ledgerline_consume SET plan_cache_mode = force_generic_plan;
ALTER FUNCTION ledgerline_consume_run SET plan_cache_mode = force_generic_plan;
ALTER FUNCTION ledgerline_ai_authorize SET plan_cache_mode = force_generic_plan;
ALTER FUNCTION ledgerline_ai_settle SET plan_cache_mode = force_generic_plan;
ALTER FUNCTION ledgerline_ai_release SET plan_cache_mode = force_generic_plan;

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
