/**
 * `npm run bench -- --citus`: the hot, spread, batch and AI rows on a Citus
 * cluster (CITUS_URL, the coordinator's maintenance database; default the
 * local cluster of scripts/citus-cluster.sh), each beside the same row on the
 * plain server in the same sitting, with the exactness checks after every
 * load. Around the hot-org load it reads every worker's commit counter: beyond
 * what an idle stretch as long commits anyway, all of that org's transactions
 * must commit on the one worker that holds it.
 */
import pg from "pg";
import { clusterAnswers } from "@/lib/db/citus/cluster-database";
import { ORG_WORKER } from "@/lib/db/citus/worker-routing";
import { startServer } from "../production-server";
import { createBenchDatabase } from "./database";
import { checkExactness, exactnessLine, ledgerRows, type ExactnessLine } from "./exactness";
import { seedBenchOrgs, spreadOrg } from "./fixtures";
import { aiPairs, batchBody, consumeBody, countedLoad, httpLoad, type HttpLoad } from "./load";
import { printReport, type Row } from "./report";

interface Figures {
  hot: number;
  hotP99: number;
  spread: number;
  spreadP99: number;
  batch: number;
  aiHot: number;
  aiSpread: number;
  workerCommits?: { node: string; commits: number; owner: boolean }[];
}

const SPREAD = 1_000;

export async function benchCitus({ plainUrl, seconds, env, log }: { plainUrl: string; seconds: number; env: Record<string, string>; log: (m: string) => void }) {
  const citusUrl = process.env.CITUS_URL ?? "postgresql://postgres@127.0.0.1:5441/postgres";
  if (!(await clusterAnswers(citusUrl))) throw new Error(`No Citus coordinator with workers answers at ${citusUrl} (scripts/citus-cluster.sh start).`);
  const exactness: ExactnessLine[] = [];
  const plain = await measure("plain", plainUrl, false, seconds, env, exactness, log);
  const citus = await measure("Citus", citusUrl, true, seconds, env, exactness, log);

  const row = (name: string, unit: string, value: number, baseline: number, p99?: number, target?: number): Row => ({
    name: `${name} on Citus`, value, unit, p99,
    baseline: { name: "the same row on plain Postgres", value: baseline },
    targets: target === undefined ? undefined : [{ label: `>= ${target}x plain`, pass: value >= target * baseline }],
  });
  const rows: Row[] = [
    row("Hot org: consume, 64 connections, 1 org", "decisions/s", citus.hot, plain.hot, citus.hotP99, 0.5),
    row("Spread: consume, 64 connections, 1,000 orgs", "decisions/s", citus.spread, plain.spread, citus.spreadP99, 0.5),
    row("Batch ingest: 1,000 events per request", "events/s", citus.batch, plain.batch),
    row("AI authorize + settle pairs, hot org", "pairs/s", citus.aiHot, plain.aiHot),
    row("AI authorize + settle pairs, 1,000 orgs", "pairs/s", citus.aiSpread, plain.aiSpread),
  ];
  const commits = citus.workerCommits ?? [];
  const others = commits.filter((c) => !c.owner);
  rows.push({
    name: `Hot-org load: commits beyond idle on the other workers (${others.map((c) => c.node).join(", ")}; the owner ${commits.find((c) => c.owner)?.node}: ${commits.find((c) => c.owner)?.commits})`,
    value: others.reduce((sum, c) => sum + c.commits, 0),
    unit: "commits",
    // The maintenance daemon's own few transactions aside, nothing of the org's reaches another worker.
    targets: [{ label: "<= 1% of the owner's", pass: others.every((c) => c.commits <= 0.01 * (commits.find((o) => o.owner)?.commits ?? 0)) }],
  });
  return printReport(rows, exactness, seconds);
}

async function measure(
  label: string, baseUrl: string, citus: boolean, seconds: number, env: Record<string, string>,
  exactness: ExactnessLine[], log: (m: string) => void,
): Promise<Figures> {
  log(`${label}: seeding ${SPREAD.toLocaleString("en-US")} orgs`);
  const database = await createBenchDatabase(baseUrl, { citus });
  const { sql } = database.store;
  const record = async (name: string, orgs: string[], metric: string, admitted: number, before = 0) => {
    const result = await checkExactness(sql, orgs, metric, admitted, before);
    exactness.push(exactnessLine(`${label}: ${name}`, result));
  };
  const exactLoad = async (name: string, load: HttpLoad, orgs: string[], eventsPerRequest = 1) => {
    const { result, before } = await countedLoad(load, () => ledgerRows(sql, orgs, "api_calls"));
    await record(name, orgs, "api_calls", result.ok * eventsPerRequest, before);
    return result;
  };
  try {
    await seedBenchOrgs(sql, SPREAD);
    await sql.exec("VACUUM ANALYZE");
    // On Citus each org's enforcement calls go straight to its worker (lib/db/citus/worker-routing.ts).
    // The background loops (store upkeep and the auto top-up sender each minute, the alert
    // dispatcher every 5 s) look for work on every shard once a tick: a tick inside the load's
    // stretch and not in the idle one would be counted as the load's. They have nothing to do
    // here (the bench's caps raise no alerts), so they are off, and the idle stretch measures
    // Citus's own maintenance.
    const loopsOff = { STORE_UPKEEP_INTERVAL_MS: "0", AUTO_TOP_UP_INTERVAL_MS: "0", ALERT_DISPATCH_INTERVAL_MS: "0" };
    const server = await startServer(3210, { ...env, ...loopsOff, DATABASE_URL: database.url, ...(citus ? { CITUS_ROUTING: "workers" } : {}) });
    const spreadOrgs = Array.from({ length: SPREAD }, (_, i) => spreadOrg(i));
    try {
      const consume = { url: server.url, path: "/api/v1/usage/consume", method: "POST", connections: 64, seconds, body: consumeBody } as const;
      log(`${label}: hot org`);
      // The workers' commits while idle for as long as the load lasts (Citus's maintenance daemon),
      // then during the load: the difference is the load's. The exactness queries (every shard)
      // run outside both stretches.
      let idleFrom: Commits = [];
      let loadFrom: Commits = [];
      const { result: hot, before } = await countedLoad({ ...consume, orgs: ["bench_hot"] }, async () => {
        const rows = await ledgerRows(sql, ["bench_hot"], "api_calls");
        if (citus) {
          idleFrom = await workerCommits(database.url, "bench_hot");
          await new Promise((resolve) => setTimeout(resolve, seconds * 1_000));
          loadFrom = await workerCommits(database.url, "bench_hot");
        }
        return rows;
      });
      const workerCommitsDuring = citus ? beyondIdle(idleFrom, loadFrom, await workerCommits(database.url, "bench_hot")) : undefined;
      await record("hot org", ["bench_hot"], "api_calls", hot.ok, before);
      log(`${label}: spread`);
      const spread = await exactLoad("spread", { ...consume, orgs: spreadOrgs }, spreadOrgs);
      log(`${label}: batch ingest`);
      const batch = await exactLoad("batch ingest", { url: server.url, path: "/api/v1/usage/batch", method: "POST", connections: 8, seconds, orgs: ["bench_batch"], body: batchBody(1_000) }, ["bench_batch"], 1_000);
      log(`${label}: AI pairs`);
      const aiLoad = async (name: string, orgs: string[]) => {
        const { result, before } = await aiPairs(server.url, orgs, 64, seconds, () => ledgerRows(sql, orgs, "ai_budget"));
        await record(name, orgs, "ai_budget", result.pairs, before);
        return result;
      };
      const aiHot = await aiLoad("AI pairs, hot", ["bench_ai_hot"]);
      const aiSpread = await aiLoad("AI pairs, spread", spreadOrgs);
      return {
        hot: hot.perSecond, hotP99: hot.p99Ms, spread: spread.perSecond, spreadP99: spread.p99Ms, batch: batch.perSecond * 1_000,
        aiHot: aiHot.perSecond, aiSpread: aiSpread.perSecond, workerCommits: workerCommitsDuring,
      };
    } finally {
      await server.stop();
    }
  } finally {
    await database.drop();
  }
}

/** Every worker's committed transactions in this database, and whether it holds `orgId`. */
async function workerCommits(databaseUrl: string, orgId: string) {
  // Statistics reach pg_stat_database when a backend goes idle, at most once a second.
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  const coordinator = new pg.Client({ connectionString: databaseUrl });
  await coordinator.connect();
  try {
    const { rows: [owner] } = await coordinator.query<{ nodeport: number }>(ORG_WORKER, [orgId]);
    const { rows } = await coordinator.query<{ nodename: string; nodeport: number; commits: string }>(
      `SELECT w.node_name AS nodename, w.node_port AS nodeport, r.result AS commits
       FROM citus_get_active_worker_nodes() w,
            LATERAL (SELECT result FROM run_command_on_workers('SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()')
                     r WHERE r.nodeport = w.node_port) r`,
    );
    return rows.map((r) => ({ node: `${r.nodename}:${r.nodeport}`, commits: Number(r.commits), owner: Number(r.nodeport) === Number(owner.nodeport) }));
  } finally {
    await coordinator.end();
  }
}

type Commits = { node: string; commits: number; owner: boolean }[];

/** Each worker's commits during the load, less those of an idle stretch as long just before it. */
function beyondIdle(idleFrom: Commits, loadFrom: Commits, loadTo: Commits): Commits {
  const at = (list: Commits, node: string) => list.find((c) => c.node === node)?.commits ?? 0;
  return loadTo.map((c) => ({ ...c, commits: Math.max(0, c.commits - at(loadFrom, c.node) - (at(loadFrom, c.node) - at(idleFrom, c.node))) }));
}
