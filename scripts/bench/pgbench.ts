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
  const dir = mkdtempSync(path.join(tmpdir(), "pgbench-"));
  const script = path.join(dir, "update.sql");
  writeFileSync(
    script,
    `\\set n random(1, ${rows})
UPDATE usage_counters SET used = used + 1
WHERE org_id = 'pgbench_' || :n AND user_id = '' AND metric = 'api_calls' AND period_start = '2026-01-01T00:00:00Z'
  AND used + held + 1 <= 1000000000000
RETURNING used;
`,
  );
  const url = new URL(databaseUrl);
  const output = execFileSync(
    "pgbench",
    ["-n", "-c", String(clients), "-j", "2", "-T", String(seconds), "-f", script,
      "-h", url.hostname, "-p", url.port || "5432", "-U", decodeURIComponent(url.username || "postgres"), url.pathname.slice(1)],
    { encoding: "utf8", env: { ...process.env, PGPASSWORD: decodeURIComponent(url.password) } },
  );
  const tps = output.match(/tps = ([\d.]+)/);
  if (!tps) throw new Error(`Could not read pgbench's output:\n${output}`);
  return Number(tps[1]);
}
