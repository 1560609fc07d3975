-- AI spend per billing period, feature and tier, kept by settle in the same
-- transaction as the ledger, so the Usage page's breakdown never scans the ledger.
CREATE TABLE "ai_spend" (
    "org_id" TEXT NOT NULL,
    "period_start" TIMESTAMPTZ(3) NOT NULL,
    "feature" TEXT NOT NULL,
    "tier" TEXT NOT NULL,
    "spent_micros" BIGINT NOT NULL DEFAULT 0,
    CONSTRAINT "ai_spend_pkey" PRIMARY KEY ("org_id","period_start","feature","tier")
);

INSERT INTO "ai_spend" ("org_id", "period_start", "feature", "tier", "spent_micros")
SELECT "org_id", "period_start", "feature", "tier", SUM("quantity") FROM "usage_ledger"
WHERE "metric" = 'ai_budget' AND "feature" IS NOT NULL AND "tier" IS NOT NULL
GROUP BY "org_id", "period_start", "feature", "tier";
