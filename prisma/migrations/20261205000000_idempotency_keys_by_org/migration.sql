-- The purge of idempotency keys past the window goes org by org (lib/metering/idempotency-purge.ts),
-- deleting each org's expired keys by this index, oldest first. The index on created_at alone made
-- it find the globally oldest keys and delete them org by org, about one statement per key under
-- a load spread over many orgs: the purge fell behind a steady load of 1,000 orgs and the table
-- grew. By org and time, a pass costs one statement per org whatever the rate.
-- The runner applies a migration in one transaction, so this build holds writes to the key table
-- (admitted consumes) while it runs. Where the table is large, build the index by hand first
-- with CREATE INDEX CONCURRENTLY, and this migration finds it made (docs/operations.md).
CREATE INDEX IF NOT EXISTS "idempotency_keys_org_id_created_at_idx" ON "idempotency_keys"("org_id", "created_at");
DROP INDEX IF EXISTS "idempotency_keys_created_at_idx";

-- One statement of the purge: up to p_limit of one org's keys created before p_before, oldest
-- first. Its commit does not wait for the WAL flush (synchronous_commit off for this transaction
-- alone): a purge lost in a crash is only done again by the next pass, and the purge's
-- statement-per-org commits no longer queue behind enforcement's flushes.
CREATE OR REPLACE FUNCTION ledgerline_purge_keys(p_org_id text, p_before timestamptz, p_limit integer)
RETURNS integer
LANGUAGE plpgsql
AS $function$
-- Deletes up to p_limit of the org's idempotency keys created before p_before, oldest first; returns how many.
DECLARE
  v_deleted integer;
BEGIN
  PERFORM set_config('synchronous_commit', 'off', true);
  DELETE FROM idempotency_keys k
  WHERE k.org_id = p_org_id AND k.created_at < p_before AND k.key IN (
    SELECT x.key FROM idempotency_keys x WHERE x.org_id = p_org_id AND x.created_at < p_before ORDER BY x.created_at LIMIT p_limit);
  GET DIAGNOSTICS v_deleted = ROW_COUNT;
  RETURN v_deleted;
END $function$;
