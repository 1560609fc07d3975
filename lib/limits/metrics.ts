/** The metered quantities, their meter group on the Usage page, and how they reset. */

export const METRIC_IDS = [
  "contacts",
  "companies",
  "storage_bytes",
  "emails_sent",
  "ai_tokens",
  "enrichments",
  "workflow_executions",
  "import_rows",
  "export_rows",
  "lead_captures",
  "api_calls",
  "ai_budget",
] as const;

export type MetricId = (typeof METRIC_IDS)[number];

/** How a cap is enforced: hard denies at 100%, soft at 110%, observe never denies. */
export type CapKind = "hard" | "soft" | "observe";

export type MeterGroup = "core" | "activity" | "data" | "ai";

export type Unit = "count" | "bytes" | "micros" | "tokens";

export interface MetricDefinition {
  id: MetricId;
  label: string;
  group: MeterGroup;
  capKind: CapKind;
  /** Cumulative metrics never reset; the others reset at the billing anchor. */
  cumulative: boolean;
  unit: Unit;
  /** Admins may give a member a personal allocation of this metric. */
  allocatable: boolean;
}

const define = (d: MetricDefinition) => d;

export const METRICS: Record<MetricId, MetricDefinition> = {
  contacts: define({ id: "contacts", label: "Contacts", group: "core", capKind: "soft", cumulative: true, unit: "count", allocatable: false }),
  companies: define({ id: "companies", label: "Companies", group: "core", capKind: "soft", cumulative: true, unit: "count", allocatable: false }),
  storage_bytes: define({ id: "storage_bytes", label: "Storage", group: "core", capKind: "hard", cumulative: true, unit: "bytes", allocatable: false }),
  emails_sent: define({ id: "emails_sent", label: "Emails Sent", group: "activity", capKind: "hard", cumulative: false, unit: "count", allocatable: false }),
  ai_tokens: define({ id: "ai_tokens", label: "AI Tokens", group: "activity", capKind: "observe", cumulative: false, unit: "tokens", allocatable: false }),
  enrichments: define({ id: "enrichments", label: "Enrichments", group: "activity", capKind: "hard", cumulative: false, unit: "count", allocatable: true }),
  workflow_executions: define({ id: "workflow_executions", label: "Workflow Executions", group: "activity", capKind: "soft", cumulative: false, unit: "count", allocatable: false }),
  import_rows: define({ id: "import_rows", label: "Import Rows", group: "data", capKind: "hard", cumulative: false, unit: "count", allocatable: false }),
  export_rows: define({ id: "export_rows", label: "Export Rows", group: "data", capKind: "hard", cumulative: false, unit: "count", allocatable: false }),
  lead_captures: define({ id: "lead_captures", label: "Lead Captures", group: "data", capKind: "soft", cumulative: false, unit: "count", allocatable: false }),
  api_calls: define({ id: "api_calls", label: "API Calls", group: "data", capKind: "hard", cumulative: false, unit: "count", allocatable: false }),
  ai_budget: define({ id: "ai_budget", label: "AI budget", group: "ai", capKind: "hard", cumulative: false, unit: "micros", allocatable: true }),
};

export const METER_GROUPS: { id: Exclude<MeterGroup, "ai">; title: string; note: string }[] = [
  { id: "core", title: "Core Limits", note: "Cumulative, not reset monthly." },
  { id: "activity", title: "Monthly Activity", note: "Resets on your billing cycle anchor." },
  { id: "data", title: "Data Operations", note: "Resets on your billing cycle anchor." },
];

/** The metrics admins may allocate per member: the ones whose members' counters the store keeps. */
export const ALLOCATABLE_METRICS: MetricId[] = METRIC_IDS.filter((id) => METRICS[id].allocatable);

export function isMetricId(value: string): value is MetricId {
  return (METRIC_IDS as readonly string[]).includes(value);
}
