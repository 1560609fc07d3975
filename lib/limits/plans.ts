import type { MetricId } from "./metrics";

export const PLAN_IDS = ["free", "pro", "business", "ultra"] as const;
export type PlanId = (typeof PLAN_IDS)[number];

/** A cap in the metric's unit; null means unlimited. */
export type Limit = number | null;

export interface Plan {
  id: PlanId;
  name: string;
  /** Prices in micro-dollars. */
  monthlyPriceMicros: number;
  annualPriceMicros: number;
  limits: Record<Exclude<MetricId, "ai_tokens">, Limit>;
  seats: { power: Limit; collaborator: Limit };
}

const GB = 1_000_000_000;
const TB = 1_000 * GB;
const USD = 1_000_000;

export const PLANS: Record<PlanId, Plan> = {
  free: {
    id: "free",
    name: "Free",
    monthlyPriceMicros: 0,
    annualPriceMicros: 0,
    limits: {
      contacts: 1_000, companies: 500, storage_bytes: 1 * GB, emails_sent: 500, enrichments: 50,
      workflow_executions: 1_000, import_rows: 5_000, export_rows: 5_000, lead_captures: 100,
      api_calls: 1_000, ai_budget: 5 * USD,
    },
    seats: { power: 1, collaborator: 2 },
  },
  pro: {
    id: "pro",
    name: "Pro",
    monthlyPriceMicros: 49 * USD,
    annualPriceMicros: 470 * USD,
    limits: {
      contacts: 25_000, companies: 10_000, storage_bytes: 25 * GB, emails_sent: 10_000, enrichments: 1_000,
      workflow_executions: 20_000, import_rows: 100_000, export_rows: 100_000, lead_captures: 5_000,
      api_calls: 100_000, ai_budget: 100 * USD,
    },
    seats: { power: 5, collaborator: 10 },
  },
  business: {
    id: "business",
    name: "Business",
    monthlyPriceMicros: 199 * USD,
    annualPriceMicros: 1_910 * USD,
    limits: {
      contacts: 100_000, companies: 50_000, storage_bytes: 100 * GB, emails_sent: 50_000, enrichments: 5_000,
      workflow_executions: 100_000, import_rows: 500_000, export_rows: 500_000, lead_captures: 25_000,
      api_calls: 1_000_000, ai_budget: 500 * USD,
    },
    seats: { power: 25, collaborator: 50 },
  },
  ultra: {
    id: "ultra",
    name: "Ultra",
    monthlyPriceMicros: 799 * USD,
    annualPriceMicros: 7_670 * USD,
    limits: {
      contacts: null, companies: null, storage_bytes: 1 * TB, emails_sent: null, enrichments: 25_000,
      workflow_executions: null, import_rows: null, export_rows: null, lead_captures: null,
      api_calls: null, ai_budget: 2_000 * USD,
    },
    seats: { power: null, collaborator: null },
  },
};

/** Per-metric overrides an org may carry (enterprise deals); null there means unlimited. */
export type LimitOverrides = Partial<Record<MetricId, Limit>>;

/** The org's cap for a metric: its override if any, else its plan's. ai_tokens is never capped. */
export function limitFor(plan: PlanId, metric: MetricId, overrides: LimitOverrides = {}): Limit {
  if (metric === "ai_tokens") return null;
  if (metric in overrides) return overrides[metric] ?? null;
  return PLANS[plan].limits[metric];
}
