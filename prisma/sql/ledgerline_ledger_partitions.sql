-- ledgerline_ledger_partitions: its live definition, as Postgres prints it once every migration has run.
-- Last changed by prisma/migrations/20261208000000_ledger_keeps_the_keys/migration.sql; change it with a new migration, then `npm run db:functions`.

CREATE OR REPLACE FUNCTION public.ledgerline_ledger_partitions(p_through timestamp with time zone)
 RETURNS integer
 LANGUAGE plpgsql
AS $function$
-- Creates the monthly partitions of usage_ledger (usage_ledger_YYYY_MM, UTC months) from this month
-- through the month of p_through that do not exist yet, each with its key index (an org's
-- idempotency keys, usage_ledger_YYYY_MM_key_idx); returns how many it created. On Citus, each
-- new partition is distributed with the table.
DECLARE
  v_month timestamp := date_trunc('month', now() AT TIME ZONE 'UTC');
  v_name text;
  v_created integer := 0;
BEGIN
  WHILE v_month <= date_trunc('month', p_through AT TIME ZONE 'UTC') LOOP
    v_name := 'usage_ledger_' || to_char(v_month, 'YYYY_MM');
    IF to_regclass(v_name) IS NULL THEN
      EXECUTE format('CREATE TABLE %I PARTITION OF usage_ledger FOR VALUES FROM (%L) TO (%L)',
        v_name, (v_month AT TIME ZONE 'UTC'), ((v_month + interval '1 month') AT TIME ZONE 'UTC'));
      EXECUTE format('CREATE INDEX %I ON %I (org_id, idempotency_key) WHERE request_digest IS NOT NULL', v_name || '_key_idx', v_name);
      v_created := v_created + 1;
    END IF;
    v_month := v_month + interval '1 month';
  END LOOP;
  RETURN v_created;
END $function$
