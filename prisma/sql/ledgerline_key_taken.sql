-- ledgerline_key_taken: its live definition, as Postgres prints it once every migration has run.
-- Last defined by prisma/migrations/20261127200000_consume_per_event_cost/migration.sql; change it with a new migration, then `npm run db:functions`.

CREATE OR REPLACE FUNCTION public.ledgerline_key_taken()
 RETURNS bigint
 LANGUAGE plpgsql
AS $function$
BEGIN
  RAISE EXCEPTION 'idempotency key already taken' USING ERRCODE = 'LL001';
END $function$
