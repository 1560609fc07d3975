-- CreateEnum
CREATE TYPE "PlanId" AS ENUM ('free', 'pro', 'business', 'ultra');
CREATE TYPE "BillingInterval" AS ENUM ('month', 'year');
CREATE TYPE "Role" AS ENUM ('super_admin', 'admin', 'manager', 'user');
CREATE TYPE "SeatType" AS ENUM ('power', 'collaborator');

-- CreateTable
CREATE TABLE "orgs" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "plan" "PlanId" NOT NULL DEFAULT 'free',
    "billing_interval" "BillingInterval" NOT NULL DEFAULT 'month',
    "subscription_status" TEXT NOT NULL DEFAULT 'active',
    "billing_anchor" TIMESTAMPTZ(3) NOT NULL,
    "ai_paused" BOOLEAN NOT NULL DEFAULT false,
    "preview_flag" BOOLEAN NOT NULL DEFAULT false,
    "limit_overrides" JSONB NOT NULL DEFAULT '{}',
    "stripe_customer_id" TEXT,
    "stripe_subscription_id" TEXT,
    "stripe_state_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "orgs_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "users" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "memberships" (
    "org_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "role" "Role" NOT NULL DEFAULT 'user',
    "seat_type" "SeatType" NOT NULL DEFAULT 'collaborator',
    "ai_allocation_micros" BIGINT,
    "enrichment_allocation" BIGINT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "memberships_pkey" PRIMARY KEY ("org_id","user_id")
);

CREATE TABLE "api_keys" (
    "id" TEXT NOT NULL,
    "org_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "key_hash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "created_by_id" TEXT,
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "usage_counters" (
    "org_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL DEFAULT '',
    "metric" TEXT NOT NULL,
    "period_start" TIMESTAMPTZ(3) NOT NULL,
    "used" BIGINT NOT NULL DEFAULT 0,
    "held" BIGINT NOT NULL DEFAULT 0,
    "blocked" BIGINT NOT NULL DEFAULT 0,
    CONSTRAINT "usage_counters_pkey" PRIMARY KEY ("org_id","user_id","metric","period_start")
);

CREATE TABLE "usage_ledger" (
    "id" BIGSERIAL NOT NULL,
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
    CONSTRAINT "usage_ledger_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "usage_daily" (
    "org_id" TEXT NOT NULL,
    "metric" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "quantity" BIGINT NOT NULL DEFAULT 0,
    CONSTRAINT "usage_daily_pkey" PRIMARY KEY ("org_id","metric","day")
);

CREATE TABLE "idempotency_keys" (
    "org_id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "status" INTEGER NOT NULL,
    "response" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "idempotency_keys_pkey" PRIMARY KEY ("org_id","key")
);

CREATE TABLE "ai_authorizations" (
    "id" TEXT NOT NULL,
    "org_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "feature" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "tier" TEXT NOT NULL,
    "period_start" TIMESTAMPTZ(3) NOT NULL,
    "hold_micros" BIGINT NOT NULL,
    "pool_hold_micros" BIGINT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'held',
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "settled_response" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ai_authorizations_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "credit_accounts" (
    "org_id" TEXT NOT NULL,
    "balance_micros" BIGINT NOT NULL DEFAULT 0,
    "held_micros" BIGINT NOT NULL DEFAULT 0,
    CONSTRAINT "credit_accounts_pkey" PRIMARY KEY ("org_id")
);

CREATE TABLE "credit_ledger" (
    "id" BIGSERIAL NOT NULL,
    "org_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "amount_micros" BIGINT NOT NULL,
    "reference" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "credit_ledger_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "stripe_events" (
    "id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "org_id" TEXT,
    "processed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "stripe_events_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "audit_entries" (
    "id" BIGSERIAL NOT NULL,
    "org_id" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "before" JSONB,
    "after" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "audit_entries_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "orgs_stripe_customer_id_key" ON "orgs"("stripe_customer_id");
CREATE UNIQUE INDEX "orgs_stripe_subscription_id_key" ON "orgs"("stripe_subscription_id");
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");
CREATE INDEX "memberships_user_id_idx" ON "memberships"("user_id");
CREATE UNIQUE INDEX "api_keys_key_hash_key" ON "api_keys"("key_hash");
CREATE INDEX "api_keys_org_id_idx" ON "api_keys"("org_id");
CREATE INDEX "usage_ledger_org_id_metric_period_start_idx" ON "usage_ledger"("org_id", "metric", "period_start");
CREATE INDEX "ai_authorizations_org_id_status_expires_at_idx" ON "ai_authorizations"("org_id", "status", "expires_at");
CREATE UNIQUE INDEX "credit_ledger_org_id_reference_key" ON "credit_ledger"("org_id", "reference");
CREATE INDEX "audit_entries_org_id_created_at_idx" ON "audit_entries"("org_id", "created_at");

-- AddForeignKey
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
