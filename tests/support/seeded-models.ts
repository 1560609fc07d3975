import { readFileSync } from "node:fs";
import { costMicros, type ModelPrice } from "@/lib/limits/model-catalog";
import type { AiTier } from "@/lib/limits/ai-models";

/** The models the catalog migration seeds, read from the migration itself (not a copy of it). */
const SEED = readFileSync("prisma/migrations/20261202240000_model_catalog/migration.sql", "utf8");

export const SEEDED_MODELS: Record<string, ModelPrice> = Object.fromEntries(
  [...SEED.matchAll(/\('([^']+)', '[^']+', '([a-z_]+)', (\d+), (\d+)\)/g)].map(([, id, tier, input, output]) => [
    id,
    { tier: tier as AiTier, inputPerMillionMicros: Number(input), outputPerMillionMicros: Number(output) },
  ]),
);

export const SEEDED_MODEL_IDS = Object.keys(SEEDED_MODELS);

/** What a call on a seeded model costs, as settle charges it. */
export const seededCost = (model: string, inputTokens: number, outputTokens: number) => costMicros(SEEDED_MODELS[model], inputTokens, outputTokens);
