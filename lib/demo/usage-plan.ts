import type { AiFeature, AiTier } from "@/lib/limits/ai-models";
import type { MetricId } from "@/lib/limits/metrics";

/** How much each demo org has used in the current cycle; past cycles scale from it. */

export interface UsageTarget {
  metric: Exclude<MetricId, "ai_budget" | "ai_tokens">;
  /** The current period's total (or, for cumulative metrics, today's level). */
  current: number;
  /** Member id -> share of the current total; the rest is the org's own (no member). */
  byMember?: Record<string, number>;
}

export interface DemoUsage {
  targets: UsageTarget[];
  /** Member id -> AI spend this cycle in micro-dollars. */
  aiMicros: Record<string, number>;
  /** Requests the org's cap refused (429) this cycle, per metric: who hit walls on the Usage page. */
  blocked?: Partial<Record<MetricId, number>>;
}

const GB = 1_000_000_000;
const USD = 1_000_000;

/** Which tier of model each feature mostly runs on in the demo. */
export const DEMO_FEATURE_TIERS: Record<AiFeature, { share: number; tier: AiTier }> = {
  email: { share: 0.25, tier: "standard" },
  chips: { share: 0.1, tier: "light" },
  summary: { share: 0.15, tier: "fast" },
  agent: { share: 0.3, tier: "advanced_reasoning" },
  coaching: { share: 0.08, tier: "standard" },
  chat: { share: 0.12, tier: "fast" },
};

/** Past cycles' totals as a share of the current one, oldest first (six past cycles). */
export const PAST_CYCLE_FACTORS = [0.5, 0.6, 0.65, 0.75, 0.8, 0.9];

export const DEMO_USAGE: Record<string, DemoUsage> = {
  org_acme: {
    targets: [
      { metric: "contacts", current: 26_500 }, // 106%: over the limit, within the soft cap
      { metric: "companies", current: 4_200 },
      { metric: "storage_bytes", current: 21.3 * GB }, // 85%
      { metric: "emails_sent", current: 9_200 }, // 92%
      { metric: "enrichments", current: 1_000, byMember: { user_linus: 96, user_margaret: 300, user_alan: 304, user_ada: 200, user_grace: 100 } }, // 100%
      { metric: "workflow_executions", current: 8_000 },
      { metric: "import_rows", current: 30_000 },
      { metric: "export_rows", current: 12_000 },
      { metric: "lead_captures", current: 1_500 },
      { metric: "api_calls", current: 45_000 },
    ],
    aiMicros: { user_linus: 9.5 * USD, user_margaret: 25 * USD, user_alan: 15 * USD, user_ada: 12 * USD, user_grace: 8.5 * USD }, // $70 of $100
    blocked: { enrichments: 14 }, // enrichments are at their cap
  },
  org_northwind: {
    targets: [
      { metric: "contacts", current: 41_000 },
      { metric: "companies", current: 12_500 },
      { metric: "storage_bytes", current: 38 * GB },
      { metric: "emails_sent", current: 18_000 },
      { metric: "enrichments", current: 1_200, byMember: { user_nina: 700, user_nate: 500 } },
      { metric: "workflow_executions", current: 30_000 },
      { metric: "api_calls", current: 220_000 },
    ],
    aiMicros: { user_nina: 140 * USD, user_nate: 90 * USD },
  },
  org_freebie: {
    targets: [
      { metric: "contacts", current: 420 },
      { metric: "companies", current: 130 },
      { metric: "storage_bytes", current: 0.2 * GB },
      { metric: "emails_sent", current: 180 },
      { metric: "enrichments", current: 12, byMember: { user_fred: 12 } },
    ],
    aiMicros: { user_fred: 1.2 * USD },
  },
  org_summit: {
    targets: [
      { metric: "contacts", current: 640_000 },
      { metric: "companies", current: 120_000 },
      { metric: "storage_bytes", current: 310 * GB },
      { metric: "emails_sent", current: 410_000 },
      { metric: "enrichments", current: 9_000, byMember: { user_sam: 5_000, user_sue: 4_000 } },
      { metric: "workflow_executions", current: 350_000 },
      { metric: "api_calls", current: 4_200_000 },
    ],
    aiMicros: { user_sam: 800 * USD, user_sue: 350 * USD },
  },
  org_beta_labs: {
    targets: [
      { metric: "contacts", current: 6_400 },
      { metric: "companies", current: 1_900 },
      { metric: "storage_bytes", current: 4.1 * GB },
      { metric: "emails_sent", current: 2_300 },
      { metric: "enrichments", current: 240, byMember: { user_bella: 140, user_ben: 100 } },
      { metric: "lead_captures", current: 800 },
    ],
    aiMicros: { user_bella: 22 * USD, user_ben: 18 * USD },
  },
};
