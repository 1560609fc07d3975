-- ledgerline_admin_roles: its live definition, as Postgres prints it once every migration has run.
-- Written by the migration runner from lib/auth/roles.ts (ADMIN_ROLES); change that, then `npm run db:functions`.

CREATE OR REPLACE FUNCTION public.ledgerline_admin_roles()
 RETURNS text[]
 LANGUAGE sql
 IMMUTABLE PARALLEL SAFE
AS $function$ SELECT ARRAY['super_admin', 'admin']::text[] $function$
