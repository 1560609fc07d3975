import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { SqlExecutor } from "@/lib/db/sql-executor";

/**
 * The database's own rate for the store's conditional counter update, as the
 * baseline the HTTP figures are compared with: pgbench running
 * `UPDATE usage_counters SET used = used + 1 WHERE ... AND used + held + 1 <= cap RETURNING used`
 * on one row (hot) or on 1,000 rows (spread).
 */
export async function preparePgbenchRows(sql: SqlExecutor, rows: number) {
  await sql.query(
    `INSERT INTO usage_counters (org_id, user_id, metric, period_start, used)
     SELECT 'pgbench_' || n, '', 'api_calls', '2026-01-01T00:00:00Z', 0 FROM generate_series(1, $1) AS n`,
    [rows],
  );
}

export function runPgbench(databaseUrl: string, rows: number, clients: number, seconds: number): number {
  return pgbench(databaseUrl, `\\set n random(1, ${rows})
UPDATE usage_counters SET used = used + 1
WHERE org_id = 'pgbench_' || :n AND user_id = '' AND metric = 'api_calls' AND period_start = '2026-01-01T00:00:00Z'
  AND used + held + 1 <= 1000000000000
RETURNING used;
`, { clients, seconds }).perSecond;
}

/** Runs one pgbench script against the database: its rate and average latency. `pgOptions` sets session settings (PGOPTIONS). */
export function pgbench(databaseUrl: string, script: string, { clients, seconds, prepared = false, pgOptions }: { clients: number; seconds: number; prepared?: boolean; pgOptions?: string }) {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "pgbench-")), "script.sql");
  writeFileSync(file, script);
  const url = new URL(databaseUrl);
  const output = execFileSync(
    "pgbench",
    ["-n", ...(prepared ? ["-M", "prepared"] : []), "-c", String(clients), "-j", "2", "-T", String(seconds), "-f", file,
      "-h", url.hostname, "-p", url.port || "5432", "-U", decodeURIComponent(url.username || "postgres"), url.pathname.slice(1)],
    { encoding: "utf8", env: { ...process.env, PGPASSWORD: decodeURIComponent(url.password), ...(pgOptions ? { PGOPTIONS: pgOptions } : {}) } },
  );
  const tps = output.match(/tps = ([\d.]+)/);
  const latency = output.match(/latency average = ([\d.]+) ms/);
  if (!tps || !latency) throw new Error(`Could not read pgbench's output:\n${output}`);
  return { perSecond: Number(tps[1]), latencyMs: Number(latency[1]) };
}
