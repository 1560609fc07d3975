import { AI_TIERS, type AiTier } from "./ai-models";

/**
 * The AI model catalog as data (table ai_models): each model is a list of
 * versions, each in effect from its instant until the next. An authorization
 * is priced by the version in effect when it is made, and its settle by the
 * same version, found again by the authorization's own time: so a price change
 * applies to authorizations made after it, and every charge keeps its price.
 */
export interface ModelVersion {
  id: string;
  effectiveFrom: Date;
  tier: AiTier;
  /** Micro-dollars per million tokens. */
  inputPerMillionMicros: number;
  outputPerMillionMicros: number;
  /** From this version on, the model takes no new authorizations. */
  retired: boolean;
}

export type ModelPrice = Pick<ModelVersion, "tier" | "inputPerMillionMicros" | "outputPerMillionMicros">;

export type PriceLookup = { ok: true; version: ModelVersion } | { ok: false; reason: "unknown" } | { ok: false; reason: "retired"; since: Date };

/**
 * How long before it applies a price change or a retirement must be made.
 * Every instance re-reads the catalog more often than this (MODEL_CATALOG_REFRESH_MS),
 * so all of them know a version before it is in effect and price alike.
 */
export const MODEL_CHANGE_LEAD_MS = 60_000;

/** Model ids as callers send them: short, no spaces or control characters. */
export const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,99}$/;

export class ModelCatalog {
  private readonly byId = new Map<string, ModelVersion[]>();

  constructor(versions: ModelVersion[]) {
    for (const version of versions) this.byId.set(version.id, [...(this.byId.get(version.id) ?? []), version]);
    for (const list of this.byId.values()) list.sort((a, b) => a.effectiveFrom.getTime() - b.effectiveFrom.getTime());
  }

  /** The version of `model` in effect at `at`, retired or not; undefined before its first. */
  versionAt(model: string, at: Date): ModelVersion | undefined {
    const versions = this.byId.get(model) ?? [];
    let found: ModelVersion | undefined;
    for (const version of versions) if (version.effectiveFrom.getTime() <= at.getTime()) found = version;
    return found;
  }

  /** What a new authorization for `model` at `at` is priced at, or why it cannot be made. */
  priceFor(model: string, at: Date): PriceLookup {
    const version = this.versionAt(model, at);
    if (!version) return { ok: false, reason: "unknown" };
    if (version.retired) return { ok: false, reason: "retired", since: version.effectiveFrom };
    return { ok: true, version };
  }

  /** Every version, oldest first per model. */
  versions(): ModelVersion[] {
    return [...this.byId.values()].flat();
  }

  ids(): string[] {
    return [...this.byId.keys()].sort();
  }
}

/** Cost in micro-dollars, rounded up so that a hold always covers the charge. */
export function costMicros(price: ModelPrice, inputTokens: number, outputTokens: number): number {
  return Math.ceil((inputTokens * price.inputPerMillionMicros + outputTokens * price.outputPerMillionMicros) / 1_000_000);
}

/** "0.40" dollars per million tokens as 400000 micro-dollars, exactly (no floating point); null if it is not such an amount. */
export function parseDollarsPerMillion(text: string): number | null {
  const match = /^(\d{1,9})(?:\.(\d{1,6}))?$/.exec(text.trim().replace(/^\$/, ""));
  if (!match) return null;
  return Number(match[1]) * 1_000_000 + Number((match[2] ?? "").padEnd(6, "0"));
}

export function isTier(value: string): value is AiTier {
  return (AI_TIERS as readonly string[]).includes(value);
}
