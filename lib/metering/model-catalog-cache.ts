import { ModelCatalog, MODEL_CHANGE_LEAD_MS, type ModelVersion } from "@/lib/limits/model-catalog";
import type { AiTier } from "@/lib/limits/ai-models";
import type { SqlExecutor } from "@/lib/db/sql-executor";
import { processSingleton } from "@/lib/process/singleton";

/**
 * The model catalog, read from ai_models and kept per process for
 * MODEL_CATALOG_REFRESH_MS (15 s by default), then read again by the first
 * request that needs it (the others wait for the same read). Changes are made
 * MODEL_CHANGE_LEAD_MS ahead of when they apply, longer than this, so every
 * instance holds a version before it is in effect: no instance prices a call
 * differently from another, and a hold's settle finds the hold's own price.
 */
export const MODEL_CATALOG_REFRESH_MS = Math.min(Number(process.env.MODEL_CATALOG_REFRESH_MS) || 15_000, MODEL_CHANGE_LEAD_MS / 2);

interface CatalogState {
  catalog?: ModelCatalog;
  loadedAt: number;
  loading?: Promise<ModelCatalog>;
}

const state = () => processSingleton<CatalogState>("model-catalog", () => ({ loadedAt: 0 }));

export async function readModelVersions(sql: Pick<SqlExecutor, "query">): Promise<ModelVersion[]> {
  const rows = await sql.query<{ id: string; effective_from: Date; tier: AiTier; input: string; output: string; retired: boolean }>(
    `SELECT id, effective_from, tier, input_per_million_micros::text AS input, output_per_million_micros::text AS output, retired
     FROM ai_models ORDER BY id, effective_from`,
  );
  return rows.map((row) => ({
    id: row.id,
    effectiveFrom: new Date(row.effective_from),
    tier: row.tier,
    inputPerMillionMicros: Number(row.input),
    outputPerMillionMicros: Number(row.output),
    retired: row.retired,
  }));
}

export async function modelCatalog(sql: Pick<SqlExecutor, "query">): Promise<ModelCatalog> {
  const current = state();
  if (current.catalog && Date.now() - current.loadedAt < MODEL_CATALOG_REFRESH_MS) return current.catalog;
  current.loading ??= readModelVersions(sql)
    .then((versions) => {
      current.catalog = new ModelCatalog(versions);
      current.loadedAt = Date.now();
      return current.catalog;
    })
    .finally(() => (current.loading = undefined));
  return current.loading;
}

/** Drops this process's copy, so the next request reads the catalog again (after a change made in this process). */
export function forgetModelCatalog() {
  state().catalog = undefined;
  state().loadedAt = 0;
}
