import type { ApiReply, StreamedBody } from "@/lib/api/endpoint";
import { ApiError } from "@/lib/api/errors";
import { usageExportQuery } from "@/lib/api/schemas";
import { canSeeDollars, isAdmin, type Role } from "@/lib/auth/roles";
import type { SqlExecutor } from "@/lib/db/sql-executor";
import { METRIC_IDS, METRICS, type MetricId } from "@/lib/limits/metrics";
import { csvRecord } from "./csv";
import { decimalDollars } from "./decimal-dollars";
import { exportWindow, type ExportWindow } from "./export-window";
import { usageRowBatches, type ExportGrouping, type ExportScope, type UsageRow } from "./usage-rows";

/**
 * The usage export: GET /api/v1/usage/export (an org's API key) and the Usage
 * page's download (a member's session). Validates the query, decides what the
 * reader may see, and answers a streamed CSV or JSON body that reads its rows
 * in batches as it is sent (lib/export/usage-rows.ts). docs/usage-export.md
 * describes the columns.
 */

/** Who is reading: the org itself (an API key is org-wide, admin-level), or a signed-in member. */
export type ExportReader = { kind: "apiKey" } | { kind: "member"; userId: string; role: Role };

export interface UsageExportRequest {
  orgId: string;
  reader: ExportReader;
  query: URLSearchParams;
  now?: Date;
  batchRows?: number;
}

interface Column {
  name: string;
  value: (row: UsageRow) => string | null;
  /** JSON writes it as a number (an integer, digits as Postgres summed them) rather than a string. */
  integer?: boolean;
}

const COLUMNS: Record<string, Column> = {
  date: { name: "date", value: (row) => row.date ?? null },
  member_id: { name: "member_id", value: (row) => (row.memberId ? row.memberId : null) },
  member_email: { name: "member_email", value: (row) => row.memberEmail ?? null },
  member_name: { name: "member_name", value: (row) => row.memberName ?? null },
  feature: { name: "feature", value: (row) => row.feature ?? null },
  metric: { name: "metric", value: (row) => row.metric },
  unit: { name: "unit", value: (row) => METRICS[row.metric].unit },
  quantity: { name: "quantity", value: (row) => row.quantity, integer: true },
  amount_usd: { name: "amount_usd", value: (row) => (METRICS[row.metric].unit === "micros" ? decimalDollars(row.quantity) : null) },
};

const LEADING_COLUMNS: Record<ExportGrouping, string[]> = {
  day: ["date"],
  metric: [],
  member: ["member_id", "member_email", "member_name"],
  feature: ["feature"],
};

export function exportColumns(grouping: ExportGrouping, dollars: boolean): Column[] {
  return [...LEADING_COLUMNS[grouping], "metric", "unit", "quantity", ...(dollars ? ["amount_usd"] : [])].map((name) => COLUMNS[name]);
}

/** The query's parameters, each given at most once, checked against the schema; the one message says what is wrong. */
export function parseExportQuery(params: URLSearchParams) {
  const fields: Record<string, string> = {};
  for (const [name, value] of params) {
    if (name in fields) throw new ApiError("invalid_request", `The query gives ${name} more than once.`, { parameter: name });
    fields[name] = value;
  }
  const parsed = usageExportQuery.safeParse(fields);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => (issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message));
    throw new ApiError("invalid_request", `The query is invalid: ${problems.join("; ")}`, { issues: parsed.error.issues });
  }
  return parsed.data;
}

/**
 * What a reader sees. An API key and admins: every row, with dollars.
 * Dollars otherwise only where canSeeDollars allows (the preview flag), and
 * without them the AI budget's rows are left out too (their quantity is
 * money). Managers: the org's totals, as the Usage page shows them, but only
 * their own member rows (the page shows no one else's). Users: their own
 * usage only.
 */
export function readerScope(reader: ExportReader, previewFlag: boolean) {
  const dollars = reader.kind === "apiKey" || canSeeDollars(reader.role, previewFlag);
  const metrics = METRIC_IDS.filter((metric) => dollars || METRICS[metric].unit !== "micros");
  if (reader.kind === "apiKey" || isAdmin(reader.role)) return { dollars, metrics, ownUsageOf: null, memberRowsOf: null };
  if (reader.role === "manager") return { dollars, metrics, ownUsageOf: null, memberRowsOf: reader.userId };
  return { dollars, metrics, ownUsageOf: reader.userId, memberRowsOf: reader.userId };
}

const MEDIA_TYPES = { csv: "text/csv; charset=utf-8", json: "application/json" } as const;

/** Validates and answers an export; the rows are read only while the body is sent. Throws ApiError (400, 404) before anything is read. */
export async function usageExport(sql: SqlExecutor, request: UsageExportRequest): Promise<ApiReply> {
  const query = parseExportQuery(request.query);
  const [org] = await sql.query<{ billing_anchor: Date | string; preview_flag: boolean }>(
    `SELECT billing_anchor, preview_flag FROM orgs WHERE id = $1`,
    [request.orgId],
    { orgId: request.orgId },
  );
  if (!org) throw new ApiError("not_found", "Organization not found.");
  const window = exportWindow(query, new Date(org.billing_anchor), request.now ?? new Date());
  const { dollars, ...reach } = readerScope(request.reader, org.preview_flag);
  const scope: ExportScope = { orgId: request.orgId, window, batchRows: request.batchRows, ...reach };
  const columns = exportColumns(query.groupBy, dollars);
  const batches = usageRowBatches(sql, query.groupBy, scope);
  return {
    status: 200,
    contentType: MEDIA_TYPES[query.format],
    headers: {
      "Content-Disposition": `attachment; filename="${exportFilename(window, query.format)}"`,
      "Cache-Control": "no-store",
    },
    body: query.format === "csv" ? csvBody(columns, batches) : jsonBody(columns, batches),
  };
}

export const exportFilename = (window: Pick<ExportWindow, "from" | "to">, format: "csv" | "json") => `ledgerline-usage-${window.from}-${window.to}.${format}`;

/** The header, then one chunk per batch; the header waits for the first batch, so a failing first read is still answered with its own status. */
async function* csvBody(columns: Column[], batches: AsyncIterable<UsageRow[]>): StreamedBody {
  let pending = csvRecord(columns.map((c) => c.name));
  for await (const rows of batches) {
    yield pending + rows.map((row) => csvRecord(columns.map((c) => c.value(row)))).join("");
    pending = "";
  }
  if (pending) yield pending;
}

/** A JSON array, one element per row, written batch by batch. */
async function* jsonBody(columns: Column[], batches: AsyncIterable<UsageRow[]>): StreamedBody {
  let separator = "[\n";
  for await (const rows of batches) {
    let chunk = "";
    for (const row of rows) {
      chunk += separator + jsonRow(columns, row);
      separator = ",\n";
    }
    yield chunk;
  }
  yield separator === "[\n" ? "[]\n" : "\n]\n";
}

function jsonRow(columns: Column[], row: UsageRow): string {
  const fields = columns.map((c) => {
    const value = c.value(row);
    // An integer is written as the digits Postgres summed: valid JSON, exact however large.
    return `${JSON.stringify(c.name)}:${value === null ? "null" : c.integer ? value : JSON.stringify(value)}`;
  });
  return `{${fields.join(",")}}`;
}
