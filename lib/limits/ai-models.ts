/**
 * AI features and model tiers. Models and their prices are data (the ai_models
 * table, lib/limits/model-catalog.ts); model names never leave the server in
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
