-- ledgerline_bump_member_version: its live definition, as Postgres prints it once every migration has run.
-- Last changed by prisma/migrations/20261126010000_consume_function/migration.sql; change it with a new migration, then `npm run db:functions`.

CREATE OR REPLACE FUNCTION public.ledgerline_bump_member_version()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
  IF TG_OP = 'DELETE' THEN
    UPDATE orgs SET config_version = config_version + 1 WHERE id = OLD.org_id;
  ELSE
    UPDATE orgs SET config_version = config_version + 1 WHERE id = NEW.org_id;
  END IF;
  RETURN NULL;
END $function$
