-- Admin > Usage & Limits lists an org's members a page at a time in the order they joined
-- (lib/metering/snapshot.ts): by this index a page reads its 50 rows, where the primary key made it
-- sort every member of the org first (about 10 ms at 10,000 members).
-- As with any index built inside the runner's transaction, build it by hand first with
-- CREATE INDEX CONCURRENTLY where memberships is large, and this migration finds it made
-- (docs/operations.md).
CREATE INDEX IF NOT EXISTS "memberships_org_id_created_at_user_id_idx" ON "memberships"("org_id", "created_at", "user_id");
