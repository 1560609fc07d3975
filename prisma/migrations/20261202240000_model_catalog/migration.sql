-- The AI model catalog as data: one row per version of a model, effective from its instant, never
-- changed afterwards (lib/admin/model-catalog.ts is its only writer). A price change or a
-- retirement is a new version; an authorization is priced by the version in effect when it was
-- made (ai_authorizations.created_at), and its settle by the same one.
CREATE TABLE "ai_models" (
  "id" TEXT NOT NULL,
  "effective_from" TIMESTAMPTZ(3) NOT NULL,
  "tier" TEXT NOT NULL,
  "input_per_million_micros" BIGINT NOT NULL,
  "output_per_million_micros" BIGINT NOT NULL,
  "retired" BOOLEAN NOT NULL DEFAULT false,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "ai_models_pkey" PRIMARY KEY ("id", "effective_from"),
  CONSTRAINT "ai_models_tier_check" CHECK ("tier" IN ('advanced_reasoning', 'standard', 'fast', 'light')),
  CONSTRAINT "ai_models_prices_check" CHECK ("input_per_million_micros" >= 0 AND "output_per_million_micros" >= 0)
);

-- Today's seven models, in effect since before any authorization was made.
INSERT INTO "ai_models" ("id", "effective_from", "tier", "input_per_million_micros", "output_per_million_micros") VALUES
  ('o3-pro', '2020-01-01T00:00:00Z', 'advanced_reasoning', 20000000, 80000000),
  ('claude-opus-4-1', '2020-01-01T00:00:00Z', 'advanced_reasoning', 15000000, 75000000),
  ('claude-sonnet-4-5', '2020-01-01T00:00:00Z', 'standard', 3000000, 15000000),
  ('gpt-4.1', '2020-01-01T00:00:00Z', 'standard', 2000000, 8000000),
  ('claude-haiku-4-5', '2020-01-01T00:00:00Z', 'fast', 1000000, 5000000),
  ('gpt-4.1-mini', '2020-01-01T00:00:00Z', 'fast', 400000, 1600000),
  ('gpt-4.1-nano', '2020-01-01T00:00:00Z', 'light', 100000, 400000);
