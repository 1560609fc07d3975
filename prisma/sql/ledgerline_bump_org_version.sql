-- ledgerline_bump_org_version: its live definition, as Postgres prints it once every migration has run.
-- Last changed by prisma/migrations/20261126010000_consume_function/migration.sql; change it with a new migration, then `npm run db:functions`.

CREATE OR REPLACE FUNCTION public.ledgerline_bump_org_version()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
  IF (NEW.plan, NEW.billing_anchor, NEW.limit_overrides) IS DISTINCT FROM (OLD.plan, OLD.billing_anchor, OLD.limit_overrides) THEN
    NEW.config_version := OLD.config_version + 1;
  END IF;
  RETURN NEW;
END $function$
