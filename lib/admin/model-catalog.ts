import type { SqlExecutor } from "@/lib/db/sql-executor";
import type { AiTier } from "@/lib/limits/ai-models";
import { isTier, ModelCatalog, MODEL_CHANGE_LEAD_MS, MODEL_ID, type ModelVersion } from "@/lib/limits/model-catalog";
import { forgetModelCatalog, readModelVersions } from "@/lib/metering/model-catalog-cache";

/**
 * Platform operators' changes to the model catalog (`npm run models`): the
 * only writer of ai_models. Every change is a new version; none rewrites one.
 * A new model may take effect at once; a price change or a retirement takes
 * effect MODEL_CHANGE_LEAD_MS or more after it is made (by default exactly
 * then), so that every instance knows it before it applies.
 */
export class CatalogChangeError extends Error {
  override readonly name = "CatalogChangeError";
}

interface Prices {
  inputPerMillionMicros: number;
  outputPerMillionMicros: number;
}

async function catalogOf(sql: Pick<SqlExecutor, "query">) {
  return new ModelCatalog(await readModelVersions(sql));
}

async function insertVersion(sql: Pick<SqlExecutor, "query">, version: ModelVersion) {
  await sql.query(
    `INSERT INTO ai_models (id, effective_from, tier, input_per_million_micros, output_per_million_micros, retired) VALUES ($1, $2, $3, $4, $5, $6)`,
    [version.id, version.effectiveFrom, version.tier, version.inputPerMillionMicros, version.outputPerMillionMicros, version.retired],
  );
  forgetModelCatalog();
  return version;
}

function checkTier(tier: string): AiTier {
  if (!isTier(tier)) throw new CatalogChangeError(`"${tier}" is not a tier: advanced_reasoning, standard, fast or light.`);
  return tier;
}

function checkPrices(prices: Prices) {
  for (const value of [prices.inputPerMillionMicros, prices.outputPerMillionMicros]) {
    if (!Number.isSafeInteger(value) || value < 0) throw new CatalogChangeError("Prices are whole micro-dollars per million tokens, 0 or more.");
  }
}

/** When a price change or retirement applies: `at`, which must be far enough ahead, or the earliest allowed. */
function changeTime(at: Date | undefined, now: Date): Date {
  const earliest = new Date(now.getTime() + MODEL_CHANGE_LEAD_MS);
  if (!at) return earliest;
  if (at.getTime() < earliest.getTime()) {
    throw new CatalogChangeError(`A change must take effect at least ${MODEL_CHANGE_LEAD_MS / 1000} s after it is made (not before ${earliest.toISOString()}), so that every instance knows it first.`);
  }
  return at;
}

export async function addModel(sql: Pick<SqlExecutor, "query">, model: Prices & { id: string; tier: string; at?: Date }, now = new Date()) {
  if (!MODEL_ID.test(model.id)) throw new CatalogChangeError(`"${model.id}" is not a model id: letters, digits and . _ : / -, up to 100.`);
  const tier = checkTier(model.tier);
  checkPrices(model);
  if ((await catalogOf(sql)).ids().includes(model.id)) throw new CatalogChangeError(`Model "${model.id}" is already in the catalog: change its price with \`price\`.`);
  return insertVersion(sql, { ...model, tier, effectiveFrom: model.at ?? now, retired: false });
}

export async function priceModel(sql: Pick<SqlExecutor, "query">, change: Prices & { id: string; tier?: string; at?: Date }, now = new Date()) {
  checkPrices(change);
  const tier = change.tier === undefined ? undefined : checkTier(change.tier);
  const effectiveFrom = changeTime(change.at, now);
  const current = (await catalogOf(sql)).versionAt(change.id, effectiveFrom);
  if (!current) throw new CatalogChangeError(`Model "${change.id}" is not in the catalog then: add it with \`add\`.`);
  if (current.retired) throw new CatalogChangeError(`Model "${change.id}" is retired by then.`);
  return insertVersion(sql, { ...current, ...change, tier: tier ?? current.tier, effectiveFrom, retired: false });
}

export async function retireModel(sql: Pick<SqlExecutor, "query">, change: { id: string; at?: Date }, now = new Date()) {
  const effectiveFrom = changeTime(change.at, now);
  const current = (await catalogOf(sql)).versionAt(change.id, effectiveFrom);
  if (!current) throw new CatalogChangeError(`Model "${change.id}" is not in the catalog.`);
  if (current.retired) throw new CatalogChangeError(`Model "${change.id}" is already retired.`);
  return insertVersion(sql, { ...current, effectiveFrom, retired: true });
}

export async function listModels(sql: Pick<SqlExecutor, "query">): Promise<ModelVersion[]> {
  return (await catalogOf(sql)).versions();
}
