-- The ledger, partitioned by month of created_at (declarative partitioning), so that it stays a set
-- of bounded tables as it grows and an old month can be detached for archive (docs/operations.md).
-- Nothing that reads or writes it changes: the same columns, the same two indexes (each now per
-- partition), the same id sequence. The primary key gains created_at, as a partitioned table's must.
--
-- usage_ledger_history holds everything before this migration's month; then one partition a month,
-- created ahead by ledgerline_ledger_partitions (the migration runner and every server call it).
-- There is no default partition: adding a month would have to scan it under a lock.

ALTER TABLE "usage_ledger" RENAME TO "usage_ledger_unpartitioned";
ALTER TABLE "usage_ledger_unpartitioned" RENAME CONSTRAINT "usage_ledger_pkey" TO "usage_ledger_unpartitioned_pkey";
ALTER INDEX "usage_ledger_org_id_metric_period_start_idx" RENAME TO "usage_ledger_unpartitioned_metric_idx";

CREATE TABLE "usage_ledger" (
    "id" BIGINT NOT NULL DEFAULT nextval('usage_ledger_id_seq'),
    "org_id" TEXT NOT NULL,
    "user_id" TEXT,
    "metric" TEXT NOT NULL,
    "period_start" TIMESTAMPTZ(3) NOT NULL,
    "quantity" BIGINT NOT NULL,
    "credit_micros" BIGINT NOT NULL DEFAULT 0,
    "feature" TEXT,
    "tier" TEXT,
    "idempotency_key" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "usage_ledger_pkey" PRIMARY KEY ("org_id", "id", "created_at")
) PARTITION BY RANGE ("created_at");
ALTER SEQUENCE "usage_ledger_id_seq" OWNED BY "usage_ledger"."id";
CREATE INDEX "usage_ledger_org_id_metric_period_start_idx" ON "usage_ledger"("org_id", "metric", "period_start");

CREATE TABLE "usage_ledger_history" PARTITION OF "usage_ledger"
  FOR VALUES FROM (MINVALUE) TO (date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC');

CREATE FUNCTION ledgerline_ledger_partitions(p_through timestamptz)
RETURNS integer LANGUAGE plpgsql AS $$
-- Creates the monthly partitions of usage_ledger (usage_ledger_YYYY_MM, UTC months) from this month
-- through the month of p_through that do not exist yet; returns how many it created. On Citus,
-- each new partition is distributed with the table.
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
      v_created := v_created + 1;
    END IF;
    v_month := v_month + interval '1 month';
  END LOOP;
  RETURN v_created;
END $$;

SELECT ledgerline_ledger_partitions(now() + interval '3 months');

INSERT INTO "usage_ledger" ("id", "org_id", "user_id", "metric", "period_start", "quantity", "credit_micros", "feature", "tier", "idempotency_key", "created_at")
SELECT "id", "org_id", "user_id", "metric", "period_start", "quantity", "credit_micros", "feature", "tier", "idempotency_key", "created_at"
FROM "usage_ledger_unpartitioned";
DROP TABLE "usage_ledger_unpartitioned";
