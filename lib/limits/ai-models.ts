/**
 * The internal model price table. Model names never leave the server in
 * anything meant for people: the page and the usage snapshot show only tiers.
 */

export const AI_FEATURES = ["email", "chips", "summary", "agent", "coaching", "chat"] as const;
export type AiFeature = (typeof AI_FEATURES)[number];

export const AI_FEATURE_LABELS: Record<AiFeature, string> = {
  email: "Email",
  chips: "Chips",
  summary: "Summary",
  agent: "Agent",
  coaching: "Coaching",
  chat: "Chat",
};

export const AI_TIERS = ["advanced_reasoning", "standard", "fast", "light"] as const;
export type AiTier = (typeof AI_TIERS)[number];

export const AI_TIER_LABELS: Record<AiTier, string> = {
  advanced_reasoning: "Advanced Reasoning",
  standard: "Standard",
  fast: "Fast",
  light: "Light",
};

interface ModelPrice {
  tier: AiTier;
  /** Micro-dollars per million tokens. */
  inputPerMillionMicros: number;
  outputPerMillionMicros: number;
}

export const AI_MODELS: Record<string, ModelPrice> = {
  "o3-pro": { tier: "advanced_reasoning", inputPerMillionMicros: 20_000_000, outputPerMillionMicros: 80_000_000 },
  "claude-opus-4-1": { tier: "advanced_reasoning", inputPerMillionMicros: 15_000_000, outputPerMillionMicros: 75_000_000 },
  "claude-sonnet-4-5": { tier: "standard", inputPerMillionMicros: 3_000_000, outputPerMillionMicros: 15_000_000 },
  "gpt-4.1": { tier: "standard", inputPerMillionMicros: 2_000_000, outputPerMillionMicros: 8_000_000 },
  "claude-haiku-4-5": { tier: "fast", inputPerMillionMicros: 1_000_000, outputPerMillionMicros: 5_000_000 },
  "gpt-4.1-mini": { tier: "fast", inputPerMillionMicros: 400_000, outputPerMillionMicros: 1_600_000 },
  "gpt-4.1-nano": { tier: "light", inputPerMillionMicros: 100_000, outputPerMillionMicros: 400_000 },
};

export const AI_MODEL_IDS = Object.keys(AI_MODELS) as [string, ...string[]];

/** Cost in micro-dollars, rounded up so that a hold always covers the charge. */
export function priceMicros(model: string, inputTokens: number, outputTokens: number): number {
  const price = AI_MODELS[model];
  if (!price) throw new Error(`Unknown model ${model}`);
  const micros = inputTokens * price.inputPerMillionMicros + outputTokens * price.outputPerMillionMicros;
  return Math.ceil(micros / 1_000_000);
}

export function tierOf(model: string): AiTier {
  const price = AI_MODELS[model];
  if (!price) throw new Error(`Unknown model ${model}`);
  return price.tier;
}
