/**
 * `npm run bench`: the enforcement path under load, every figure beside a
 * baseline measured in the same run, then exactness checks. Needs the local
 * Postgres server (BENCH_DATABASE_URL or DATABASE_URL, default
 * postgresql://postgres@127.0.0.1:5432/postgres), pgbench, and Redis (REDIS_URL, default
 * redis://127.0.0.1:6379) for the peer rows.
 *
 *   npm run bench                 build, then run every row (about 6 minutes)
 *   npm run bench -- --no-build   reuse the last bench build (.next-bench)
 *   npm run bench -- --seconds 5  shorter loads
 *   npm run bench -- --citus      the hot, spread, batch and AI rows on a Citus cluster
 *                                 (CITUS_URL) beside plain Postgres, in the same sitting
 */
import { execSync } from "node:child_process";
import { encode } from "next-auth/jwt";
import { startUserSession } from "@/lib/auth/user-sessions";
import { createBenchDatabase } from "./database";
import { checkExactness, exactnessLine, ledgerRows, type ExactnessLine } from "./exactness";
import { BIG_ORG_USER, EDGE_CAP, seedBenchOrgs, seedBigHistory, seedBigMembership, deriveBigRollups, spreadOrg, benchUser } from "./fixtures";
import { aiPairs, batchBody, consumeBody, countedLoad, httpLoad, pageTimes, type LoadResult } from "./load";
import { preparePgbenchRows, runPgbench } from "./pgbench";
import { startServer } from "../production-server";
import { startRedisPeer } from "./redis-peer";
import { appStages, decisionStatement, samplePoolBusy } from "./stages";
import { eventBytes, keyIndexBytes, keyIndexRetirement } from "./store-size";
import { benchCitus } from "./citus";
import { printReport, type Row } from "./report";

const args = process.argv.slice(2);
const seconds = Number(args[args.indexOf("--seconds") + 1]) || 10;
const SPREAD = 1_000;
const LEDGER_ROWS = 1_000_000;
const BIG_ORG_MEMBERS = 10_000;
/** The server's pool (DATABASE_POOL_SIZE's default, which the bench does not change). */
const POOL_SIZE = 8;
const AUTH_SECRET = "bench-secret-not-for-production-use";
const NEXT_DIST_DIR = ".next-bench";
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const baseUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

const log = (message: string) => console.error(`[bench] ${message}`);

if (!args.includes("--no-build")) {
  log("npm run build");
  execSync("npm run build", { stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, NEXT_DIST_DIR } });
}

if (args.includes("--citus")) {
  const passed = await benchCitus({ plainUrl: baseUrl, seconds, env: { AUTH_SECRET, AUTH_TRUST_HOST: "true", NEXT_DIST_DIR }, log });
  process.exit(passed ? 0 : 1);
}

const database = await createBenchDatabase(baseUrl);
const { sql } = database.store;
const rows: Row[] = [];
const exactness: ExactnessLine[] = [];
const recordExactness = (name: string, result: Awaited<ReturnType<typeof checkExactness>>) => exactness.push(exactnessLine(name, result));

interface EventSizes {
  before: number;
  after: number;
  keysBefore: number;
  keysAfter: number;
}

/** Runs a consume-type load with every response counted, then checks the store against it; `size` gets the ledger's bytes (and its key indexes') before and after. */
async function exactLoad(name: string, load: Parameters<typeof httpLoad>[0], orgs: string[], eventsPerRequest = 1, size?: EventSizes): Promise<LoadResult> {
  const { result, before } = await countedLoad(load, async () => {
    if (size) [size.before, size.keysBefore] = [await eventBytes(sql), await keyIndexBytes(sql)];
    return ledgerRows(sql, orgs, "api_calls");
  });
  if (size) [size.after, size.keysAfter] = [await eventBytes(sql), await keyIndexBytes(sql)];
  recordExactness(name, await checkExactness(sql, orgs, "api_calls", result.ok * eventsPerRequest, before));
  return result;
}

const sizeOfEvents: EventSizes = { before: 0, after: 0, keysBefore: 0, keysAfter: 0 };

try {
  log("seeding bench orgs and 1,000,000 ledger rows");
  const now = new Date();
  await seedBenchOrgs(sql, SPREAD);
  await seedBigHistory(sql, LEDGER_ROWS, now);
  await seedBigMembership(sql, BIG_ORG_MEMBERS, 1_000, now);
  await deriveBigRollups(sql);
  await preparePgbenchRows(sql, SPREAD);
  // Measure a settled database: not autovacuum catching up with a million fresh rows, nor a checkpoint.
  await sql.exec("VACUUM ANALYZE");
  await sql.exec("CHECKPOINT");

  log("pgbench baselines");
  const pgHot = runPgbench(database.url, 1, 16, seconds);
  const pgSpread = runPgbench(database.url, SPREAD, 16, seconds);

  const env = { DATABASE_URL: database.url, AUTH_SECRET, AUTH_TRUST_HOST: "true", NEXT_DIST_DIR };
  const server = await startServer(3200, env);
  const spreadOrgs = Array.from({ length: SPREAD }, (_, i) => spreadOrg(i));
  try {
    log("framework floor");
    const floor = await httpLoad({ url: server.url, path: "/api/health", connections: 64, seconds });
    rows.push({ name: "Framework floor: GET /api/health", value: floor.perSecond, unit: "req/s", p99: floor.p99Ms });

    log("hot org");
    const consume = { url: server.url, path: "/api/v1/usage/consume", method: "POST", connections: 64, seconds, body: consumeBody } as const;
    const hot = await exactLoad("hot org", { ...consume, orgs: ["bench_hot"] }, ["bench_hot"]);
    rows.push({
      name: "Hot org: consume, 64 connections, 1 org", value: hot.perSecond, unit: "decisions/s", p99: hot.p99Ms,
      baseline: { name: "pgbench, 1 row, 16 clients", value: pgHot },
      targets: [
        { label: ">= 1.0x pgbench", pass: hot.perSecond >= pgHot },
        { label: "p99 < 50 ms", pass: hot.p99Ms < 50 },
        { label: ">= 0.5x floor", pass: hot.perSecond >= 0.5 * floor.perSecond },
      ],
    });

    log("spread");
    const poolBusy = samplePoolBusy(sql, POOL_SIZE);
    const spread = await exactLoad("spread", { ...consume, orgs: spreadOrgs }, spreadOrgs, 1, sizeOfEvents);
    const pool = await poolBusy();
    const bytesPerEvent = (sizeOfEvents.after - sizeOfEvents.before) / spread.ok;
    rows.push({
      name: "Spread: consume, 64 connections, 1,000 orgs", value: spread.perSecond, unit: "decisions/s", p99: spread.p99Ms,
      baseline: { name: "pgbench, 1,000 rows, 16 clients", value: pgSpread },
      targets: [
        { label: ">= 0.5x pgbench", pass: spread.perSecond >= 0.5 * pgSpread },
        { label: ">= 3,000/s", pass: spread.perSecond >= 3_000 },
        { label: ">= 0.5x floor", pass: spread.perSecond >= 0.5 * floor.perSecond },
      ],
    });

    rows.push({
      name: "Bytes on disk per admitted event (its ledger row, which is its idempotency key's record, with every ledger index, after VACUUM)", value: bytesPerEvent, unit: "bytes",
      targets: [{ label: "<= 300 bytes", pass: bytesPerEvent <= 300 }],
    });
    rows.push({
      name: "Of which the key index (kept until the idempotency window has left the month)",
      value: (sizeOfEvents.keysAfter - sizeOfEvents.keysBefore) / spread.ok, unit: "bytes",
    });

    log("a spread decision, stage by stage");
    const app = appStages();
    const flushed = decisionStatement(database.url, SPREAD, Math.min(seconds, 5), true);
    const deferred = decisionStatement(database.url, SPREAD, Math.min(seconds, 5), false);
    const stage = (name: string, value: number, unit: string) => rows.push({ name: `Spread stage: ${name}`, value, unit });
    stage("parse and validate the body (JSON.parse, zod)", app.parse, "µs");
    stage("hash the API key (SHA-256)", app.keyHash, "µs");
    stage("hash the request (its idempotency fingerprint)", app.requestHash, "µs");
    stage(`wait for a connection: all ${POOL_SIZE} busy in this share of the samples (average busy ${pool.averageBusy.toFixed(1)})`, pool.allBusyShare * 100, "%");
    stage(`the decision statement, commit not flushed (pgbench, 16 clients: ${Math.round(deferred.perSecond).toLocaleString("en-US")}/s)`, deferred.latencyMs, "ms");
    stage(`its commit: the WAL flush (pgbench latency with it, ${Math.round(flushed.perSecond).toLocaleString("en-US")}/s, minus without)`, flushed.latencyMs - deferred.latencyMs, "ms");
    stage("reply (JSON.stringify)", app.reply, "µs");

    log("edge of a cap");
    // More requests than the cap: exactly EDGE_CAP are admitted, the rest answered 429.
    const edge = await httpLoad({ ...consume, orgs: ["bench_edge"], amount: EDGE_CAP + 5_000 });
    const edgeCheck = await checkExactness(sql, ["bench_edge"], "api_calls", edge.ok);
    recordExactness(`edge (cap ${EDGE_CAP}, ${EDGE_CAP + 5_000} requests)`, { ...edgeCheck, exact: edgeCheck.exact && edge.ok === EDGE_CAP });

    log("AI pairs");
    const aiLoad = async (name: string, orgs: string[]) => {
      const { result, before } = await aiPairs(server.url, orgs, 64, seconds, () => ledgerRows(sql, orgs, "ai_budget"));
      recordExactness(name, await checkExactness(sql, orgs, "ai_budget", result.pairs, before));
      return result;
    };
    const aiHot = await aiLoad("AI pairs, hot", ["bench_ai_hot"]);
    rows.push({
      name: "AI authorize + settle pairs, hot org", value: aiHot.perSecond, unit: "pairs/s", p99: aiHot.p99Ms,
      baseline: { name: "hot consume decisions/s, this run", value: hot.perSecond },
      targets: [
        { label: ">= 0.5x hot consume", pass: aiHot.perSecond >= 0.5 * hot.perSecond },
        { label: "p99 < 25 ms", pass: aiHot.p99Ms < 25 },
      ],
    });
    const aiSpread = await aiLoad("AI pairs, spread", spreadOrgs);
    rows.push({
      name: "AI authorize + settle pairs, 1,000 orgs", value: aiSpread.perSecond, unit: "pairs/s", p99: aiSpread.p99Ms,
      targets: [
        { label: ">= 3,000/s", pass: aiSpread.perSecond >= 3_000 },
        { label: "p99 < 25 ms", pass: aiSpread.p99Ms < 25 },
      ],
    });

    log("a peer's way: Redis Lua check-and-deduct");
    // The same load generator, connections and request shape as consume, against an in-memory
    // conditional decrement: our ratio to it is the price of exact, durable decisions.
    const peer = await startRedisPeer(3240, redisUrl);
    try {
      const peerLoad = (keys: string[]) => httpLoad({ url: peer.url, path: "/", method: "POST", connections: 64, seconds, orgs: keys, body: (key) => ({ key, quantity: 1 }) });
      const peerHot = await peerLoad(["bench_hot"]);
      const peerSpread = await peerLoad(spreadOrgs);
      rows.push({
        name: "Hot org consume against Redis Lua, 1 key", value: hot.perSecond, unit: "decisions/s", p99: hot.p99Ms,
        baseline: { name: `Redis Lua check-and-deduct, 1 key (p99 ${peerHot.p99Ms} ms)`, value: peerHot.perSecond },
      });
      rows.push({
        name: "Spread consume against Redis Lua, 1,000 keys", value: spread.perSecond, unit: "decisions/s", p99: spread.p99Ms,
        baseline: { name: `Redis Lua check-and-deduct, 1,000 keys (p99 ${peerSpread.p99Ms} ms)`, value: peerSpread.perSecond },
      });
    } finally {
      peer.stop();
    }

    log("batch ingest");
    const batch = await exactLoad("batch ingest", { url: server.url, path: "/api/v1/usage/batch", method: "POST", connections: 8, seconds, orgs: ["bench_batch"], body: batchBody(1_000) }, ["bench_batch"], 1_000);
    const eventsPerSecond = batch.perSecond * 1_000;
    rows.push({ name: "Batch ingest: 1,000 events per request", value: eventsPerSecond, unit: "events/s", targets: [{ label: ">= 50,000/s", pass: eventsPerSecond >= 50_000 }] });

    log("usage page");
    // Signed in as the org's bench user: a session is a user_sessions row, named by the cookie's sid.
    const cookieFor = async (userId: string) => {
      const sid = await startUserSession(database.store.prisma, `${userId.replace(/_user$/, "")}@bench.test`);
      const token = await encode({ token: { sid, sub: userId }, secret: AUTH_SECRET, salt: "authjs.session-token" });
      return `authjs.session-token=${token}`;
    };
    const bigAdmin = await cookieFor(benchUser("bench_big"));
    const big = await pageTimes(`${server.url}/settings/usage`, bigAdmin, 30);
    const bigUser = await pageTimes(`${server.url}/settings/usage`, await cookieFor(BIG_ORG_USER), 30);
    const empty = await pageTimes(`${server.url}/settings/usage`, await cookieFor(benchUser("bench_empty")), 30);
    const members = `${BIG_ORG_MEMBERS.toLocaleString("en-US")} members`;
    rows.push({
      name: `Usage page p50, admin, 1M ledger rows over 13 months, ${members}`, value: big.p50, unit: "ms",
      baseline: { name: "the same page for an empty org", value: empty.p50 },
      targets: [
        { label: "<= 150 ms", pass: big.p50 <= 150 },
        { label: "<= 2x empty org", pass: big.p50 <= 2 * empty.p50 },
      ],
    });
    rows.push({ name: `Usage page p50, a user of the same org`, value: bigUser.p50, unit: "ms", targets: [{ label: "<= 150 ms", pass: bigUser.p50 <= 150 }] });
    const limits = await pageTimes(`${server.url}/admin/usage-limits?page=2`, bigAdmin, 20);
    rows.push({ name: `Admin > Usage & Limits p50, ${members}, a page of 50`, value: limits.p50, unit: "ms", targets: [{ label: "<= 300 ms", pass: limits.p50 <= 300 }] });
    const membersPage = await pageTimes(`${server.url}/admin/members?page=2`, bigAdmin, 20);
    rows.push({ name: `Admin > Members p50, ${members}, a page of 50`, value: membersPage.p50, unit: "ms", targets: [{ label: "<= 300 ms", pass: membersPage.p50 <= 300 }] });

    rows.push({ name: "Server peak RSS under load", value: server.peakRss() / 1024 / 1024, unit: "MB", targets: [{ label: "<= 400 MB", pass: server.peakRss() <= 400 * 1024 * 1024 }] });
  } finally {
    await server.stop();
  }

  log("two app instances against one Postgres");
  const [a, b] = await Promise.all([startServer(3201, env), startServer(3202, env)]);
  try {
    const shared = ["bench_two_instances", "bench_hot_b"];
    const load = (url: string) => ({ url, path: "/api/v1/usage/consume", method: "POST" as const, connections: 32, seconds, orgs: shared, body: consumeBody });
    const estimate = await httpLoad({ ...load(a.url), seconds: 2 });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const before = await ledgerRows(sql, shared, "api_calls");
    const amount = Math.max(32, Math.ceil((estimate.perSecond * seconds) / 2));
    const loads = await Promise.all([a, b].map((s) => httpLoad({ ...load(s.url), amount })));
    const ok = loads.reduce((sum, l) => sum + l.ok, 0);
    recordExactness("two instances", await checkExactness(sql, shared, "api_calls", ok, before));
    rows.push({ name: "Two instances: consume, 2 x 32 connections", value: loads.reduce((sum, l) => sum + l.perSecond, 0), unit: "decisions/s" });
  } finally {
    await Promise.all([a.stop(), b.stop()]);
  }

  log("the key index at steady state");
  // Last: this month's keys lose their index. The upkeep's own step, asked what it drops once the
  // window starts next month: every key of this month, whatever the load, and nothing after it.
  const keyIndex = await keyIndexRetirement(sql);
  rows.push({
    name: `Key index once the window has left this month (the upkeep drops ${keyIndex.retired.join(", ") || "nothing"})`,
    value: keyIndex.after / 1024, unit: "KiB",
    baseline: { name: "the key index before, KiB", value: keyIndex.before / 1024 },
    targets: [{ label: "bounded: only months the window reaches keep theirs", pass: keyIndex.after < keyIndex.before && keyIndex.retired.length > 0 }],
  });
} finally {
  await database.drop();
}

const passed = printReport(rows, exactness, seconds);
process.exit(passed ? 0 : 1);
