-- Idempotency keys are kept for a window (24 hours by default), then purged in small batches
-- (lib/metering/idempotency-purge.ts). The purge finds the oldest keys by this index.
CREATE INDEX "idempotency_keys_created_at_idx" ON "idempotency_keys"("created_at");
