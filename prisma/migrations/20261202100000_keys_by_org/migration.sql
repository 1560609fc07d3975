-- Every key names its org: the schema a Citus cluster accepts, shared with plain Postgres.
--
-- On Citus every org-owned table is distributed by org_id (lib/db/citus/distribution.ts), and
-- a primary key or unique index there must include org_id, so that one worker can enforce it.
-- Ids stay unique by construction (sequences, random ids); the keys now also say whose row it is.
-- Foreign keys lose ON UPDATE CASCADE (ids never change, and Citus refuses it on org ids), and
-- api_keys, a reference table on Citus, no longer points at orgs (the seed deletes an org's
-- keys itself). Stripe events are recorded under their org; events about no org we know go to
-- stripe_unmatched_events.

-- Foreign keys that point at keys about to change, or that Citus refuses.
ALTER TABLE "notifications" DROP CONSTRAINT "notifications_alert_id_fkey";
ALTER TABLE "alert_deliveries" DROP CONSTRAINT "alert_deliveries_alert_id_fkey";
ALTER TABLE "api_keys" DROP CONSTRAINT "api_keys_org_id_fkey";
ALTER TABLE "memberships" DROP CONSTRAINT "memberships_org_id_fkey";
ALTER TABLE "memberships" DROP CONSTRAINT "memberships_user_id_fkey";
ALTER TABLE "invitations" DROP CONSTRAINT "invitations_org_id_fkey";
ALTER TABLE "webhook_endpoints" DROP CONSTRAINT "webhook_endpoints_org_id_fkey";
ALTER TABLE "notifications" DROP CONSTRAINT "notifications_org_id_fkey";
ALTER TABLE "alert_deliveries" DROP CONSTRAINT "alert_deliveries_org_id_fkey";
ALTER TABLE "mail_outbox" DROP CONSTRAINT "mail_outbox_org_id_fkey";

-- Primary keys that start with the org.
ALTER TABLE "usage_ledger" DROP CONSTRAINT "usage_ledger_pkey", ADD CONSTRAINT "usage_ledger_pkey" PRIMARY KEY ("org_id", "id");
ALTER TABLE "usage_alerts" DROP CONSTRAINT "usage_alerts_pkey", ADD CONSTRAINT "usage_alerts_pkey" PRIMARY KEY ("org_id", "id");
ALTER TABLE "ai_authorizations" DROP CONSTRAINT "ai_authorizations_pkey", ADD CONSTRAINT "ai_authorizations_pkey" PRIMARY KEY ("org_id", "id");
ALTER TABLE "credit_ledger" DROP CONSTRAINT "credit_ledger_pkey", ADD CONSTRAINT "credit_ledger_pkey" PRIMARY KEY ("org_id", "id");
ALTER TABLE "audit_entries" DROP CONSTRAINT "audit_entries_pkey", ADD CONSTRAINT "audit_entries_pkey" PRIMARY KEY ("org_id", "id");
ALTER TABLE "invitations" DROP CONSTRAINT "invitations_pkey", ADD CONSTRAINT "invitations_pkey" PRIMARY KEY ("org_id", "id");
ALTER TABLE "notifications" DROP CONSTRAINT "notifications_pkey", ADD CONSTRAINT "notifications_pkey" PRIMARY KEY ("org_id", "id");
ALTER TABLE "alert_deliveries" DROP CONSTRAINT "alert_deliveries_pkey", ADD CONSTRAINT "alert_deliveries_pkey" PRIMARY KEY ("org_id", "id");
ALTER TABLE "mail_outbox" DROP CONSTRAINT "mail_outbox_pkey", ADD CONSTRAINT "mail_outbox_pkey" PRIMARY KEY ("org_id", "id");

-- Stripe events: under their org, or in the unmatched table.
CREATE TABLE "stripe_unmatched_events" (
    "id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "stripe_unmatched_events_pkey" PRIMARY KEY ("id")
);
INSERT INTO "stripe_unmatched_events" ("id", "type", "received_at")
SELECT "id", "type", "processed_at" FROM "stripe_events" WHERE "org_id" IS NULL;
DELETE FROM "stripe_events" WHERE "org_id" IS NULL;
ALTER TABLE "stripe_events" ALTER COLUMN "org_id" SET NOT NULL;
ALTER TABLE "stripe_events" DROP CONSTRAINT "stripe_events_pkey", ADD CONSTRAINT "stripe_events_pkey" PRIMARY KEY ("org_id", "id");

-- Unique indexes that include the org. A Stripe customer or subscription id is found by a plain
-- index: each is linked to one org by our own checkout (lib/stripe), never by a second org.
DROP INDEX "orgs_stripe_customer_id_key";
DROP INDEX "orgs_stripe_subscription_id_key";
CREATE INDEX "orgs_stripe_customer_id_idx" ON "orgs"("stripe_customer_id");
CREATE INDEX "orgs_stripe_subscription_id_idx" ON "orgs"("stripe_subscription_id");
DROP INDEX "invitations_token_hash_key";
CREATE UNIQUE INDEX "invitations_token_hash_org_id_key" ON "invitations"("token_hash", "org_id");
DROP INDEX "notifications_alert_id_user_id_key";
CREATE UNIQUE INDEX "notifications_org_id_alert_id_user_id_key" ON "notifications"("org_id", "alert_id", "user_id");
DROP INDEX "alert_deliveries_alert_id_channel_recipient_attempt_key";
CREATE UNIQUE INDEX "alert_deliveries_org_id_alert_id_channel_recipient_attempt_key" ON "alert_deliveries"("org_id", "alert_id", "channel", "recipient", "attempt");
DROP INDEX "mail_outbox_idempotency_key_key";
CREATE UNIQUE INDEX "mail_outbox_org_id_idempotency_key_key" ON "mail_outbox"("org_id", "idempotency_key");

-- The foreign keys again, as Citus accepts them.
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE;
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE;
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE;
ALTER TABLE "webhook_endpoints" ADD CONSTRAINT "webhook_endpoints_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE;
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE;
ALTER TABLE "alert_deliveries" ADD CONSTRAINT "alert_deliveries_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE;
ALTER TABLE "mail_outbox" ADD CONSTRAINT "mail_outbox_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE;
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_alert_fkey" FOREIGN KEY ("org_id", "alert_id") REFERENCES "usage_alerts"("org_id", "id") ON DELETE CASCADE;
ALTER TABLE "alert_deliveries" ADD CONSTRAINT "alert_deliveries_alert_fkey" FOREIGN KEY ("org_id", "alert_id") REFERENCES "usage_alerts"("org_id", "id") ON DELETE CASCADE;
