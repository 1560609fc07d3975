-- ledgerline_audit_append_only: its live definition, as Postgres prints it once every migration has run.
-- Last changed by prisma/migrations/20261127100000_admin/migration.sql; change it with a new migration, then `npm run db:functions`.

CREATE OR REPLACE FUNCTION public.ledgerline_audit_append_only()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
  RAISE EXCEPTION 'audit_entries is append-only: entries are never updated';
END $function$
