import { usageConsumeBody } from "@/lib/api/schemas";
import { hashApiKey } from "@/lib/auth/api-keys";
import type { SqlExecutor } from "@/lib/db/sql-executor";
import { requestHash } from "@/lib/metering/idempotency";
import { benchKey, HUGE_CAP, spreadOrg } from "./fixtures";
import { pgbench } from "./pgbench";

/**
 * Where a spread decision's time goes, stage by stage: the app's own steps
 * timed in this process (one core, warm), the store's statement and its
 * commit timed by pgbench on the spread orgs, and how often the server's
 * connection pool was all busy during the spread load (a request then waits
 * for a connection).
 */

function microsEach(runs: number, step: () => unknown) {
  for (let i = 0; i < runs / 10; i++) step(); // warm
  const started = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) step();
  return Number(process.hrtime.bigint() - started) / 1_000 / runs;
}

export function appStages() {
  const body = JSON.stringify({ metric: "api_calls", quantity: 1, idempotencyKey: "c-12345-678901" });
  const parsed = usageConsumeBody.parse(JSON.parse(body));
  const answer = { allowed: true, metric: "api_calls", used: 123_456, limit: HUGE_CAP, remaining: HUGE_CAP - 123_456, percent: 0, capKind: "hard", resetsAt: "2027-01-01T00:00:00.000Z" };
  return {
    parse: microsEach(100_000, () => usageConsumeBody.parse(JSON.parse(body))),
    keyHash: microsEach(100_000, () => hashApiKey(benchKey(spreadOrg(1)))),
    requestHash: microsEach(100_000, () => requestHash("consume", parsed)),
    reply: microsEach(100_000, () => JSON.stringify(answer)),
  };
}

/**
 * The spread decision's statement as the app sends it for a lone consume
 * (ledgerline_consume_run, one fresh key on a random spread org, with its API
 * key's hash), from 16 pgbench clients; with synchronous_commit off the commit
 * does not wait for the WAL flush, so the difference in latency is the commit's.
 */
export function decisionStatement(databaseUrl: string, orgs: number, seconds: number, synchronousCommit: boolean) {
  return pgbench(databaseUrl, `\\set n random(0, ${orgs - 1})
\\set k random(1, 1000000000000)
SELECT ledgerline_consume_run(o.id, o.config_version, encode(sha256(('ll_bench_' || o.id)::bytea), 'hex'), false, now(), now() - interval '24 hours', 'api_calls',
  date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', ${HUGE_CAP}, ${HUGE_CAP}, NULL,
  ARRAY['pgbench-' || :client_id || '-' || :k], ARRAY[repeat('ab', 16)], ARRAY[1::bigint], ARRAY[NULL::text])
FROM orgs o WHERE o.id = 'bench_spread_' || lpad(:n::text, 4, '0');
`, { clients: 16, seconds, prepared: true, pgOptions: `-c synchronous_commit=${synchronousCommit ? "on" : "off"}` });
}

/** Samples, every 50 ms until stopped, how many of the database's other connections are running a statement. */
export function samplePoolBusy(sql: SqlExecutor, poolSize: number) {
  const busy: number[] = [];
  let running = true;
  const sampling = (async () => {
    while (running) {
      const [row] = await sql.query<{ active: number }>(
        `SELECT count(*)::int AS active FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid()`,
      );
      busy.push(row.active);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  return async () => {
    running = false;
    await sampling;
    return {
      averageBusy: busy.reduce((sum, n) => sum + n, 0) / Math.max(1, busy.length),
      allBusyShare: busy.filter((n) => n >= poolSize).length / Math.max(1, busy.length),
      samples: busy.length,
    };
  };
}
