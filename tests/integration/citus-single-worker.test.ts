import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "@/lib/db/open";
import { authorizeAi, releaseAi, settleAi } from "@/lib/metering/ai-holds";
import { consumeBatch, consumeUsage } from "@/lib/metering/consume";
import { getUsageSnapshot } from "@/lib/metering/snapshot";
import { createOrg, testStore } from "../support/store";

/**
 * On a Citus cluster (`npm run test:citus`), everything the enforcement path
 * and the page snapshot send stays on the worker that holds the org. Every
 * statement the app sends for the operation is recorded as it leaves for the
 * coordinator, and Citus is asked for its plan: each must be a router plan, one
 * task, on the org's worker (or no distributed table at all). The functions
 * Citus delegates are then run on that worker itself with
 * citus.log_remote_commands on: their statements must all execute locally,
 * with no command sent to another node, so no call can need a distributed
 * (two-phase) commit.
 */
const onCitus = process.env.LEDGERLINE_TEST_CITUS === "1";
const NOW = new Date("2026-03-20T12:00:00Z");

interface Sent {
  text: string;
  values: unknown[];
  /** The port of the server it was sent to. */
  port: number;
}

/** Every statement sent to Postgres while `run` runs (node-postgres is what both Prisma and the raw executor use). */
async function recording(run: () => Promise<unknown>): Promise<Sent[]> {
  const sent: Sent[] = [];
  const original = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const [first, second] = args as [string | { text?: string; values?: unknown[] }, unknown[] | undefined];
    const text = typeof first === "string" ? first : first?.text;
    const values = typeof first === "string" ? second : first?.values;
    if (text) sent.push({ text, values: values ?? [], port: Number(this.port) });
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof original;
  try {
    await run();
  } finally {
    pg.Client.prototype.query = original;
  }
  return sent.filter((s) => !/^\s*(BEGIN|COMMIT|ROLLBACK|SET|SHOW|DEALLOCATE|SAVEPOINT|RELEASE)\b/i.test(s.text));
}

async function withClient<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** The worker that holds `orgId`, as Citus's own shard view says. */
async function ownerOf(orgId: string) {
  const { rows } = await withClient(process.env.DATABASE_URL!, (client) =>
    client.query<{ nodename: string; nodeport: number }>(
      `SELECT nodename, nodeport FROM citus_shards WHERE table_name = 'orgs'::regclass AND shardid = get_shard_id_for_distribution_column('orgs', $1::text)`,
      [orgId],
    ));
  return rows[0];
}

const nodeUrl = (host: string, port: number) => {
  const url = new URL(process.env.DATABASE_URL!);
  url.hostname = host;
  url.port = String(port);
  return url.toString();
};

describe.skipIf(!onCitus)("on Citus, one org's work stays on its worker (npm run test:citus)", () => {
  let coordinator: pg.Client;
  beforeAll(async () => {
    coordinator = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await coordinator.connect();
  });
  afterAll(async () => {
    await coordinator.end();
  });

  /** Citus's plan of each statement: router, one task, on `owner`; or no distributed table. */
  async function expectSingleWorkerPlans(sent: Sent[], owner: { nodename: string; nodeport: number }) {
    expect(sent.length).toBeGreaterThan(0);
    for (const statement of sent) {
      const { rows } = await coordinator.query<{ "QUERY PLAN": string }>(`EXPLAIN (COSTS OFF) ${statement.text}`, statement.values);
      const plan = rows.map((r) => r["QUERY PLAN"]).join("\n");
      if (!plan.includes("Citus Adaptive")) continue;
      const context = `${statement.text}\n${plan}`;
      expect(plan, context).toMatch(/Task Count: 1\b/);
      expect(plan, context).not.toMatch(/Distributed Subplan|Task Count: (?!1\b)\d+/);
      expect(plan, context).toMatch(new RegExp(`Node: host=${owner.nodename} port=(${owner.nodeport}|${new URL(process.env.DATABASE_URL!).port})\\b`));
    }
  }

  /** Runs each delegated function call on the org's worker, undone afterwards: nothing may leave that node. */
  async function expectLocalOnOwner(sent: Sent[], owner: { nodename: string; nodeport: number }) {
    const calls = sent.filter((s) => /\bledgerline_(consume|consume_run|ai_authorize|ai_settle|ai_release)\(/.test(s.text));
    expect(calls.length).toBeGreaterThan(0);
    const database = new URL(process.env.DATABASE_URL!).pathname.slice(1);
    await withClient(`${nodeUrl(owner.nodename, owner.nodeport).replace(/\/[^/]*$/, "")}/${database}`, async (worker) => {
      const notices: string[] = [];
      worker.on("notice", (notice) => notices.push(notice.message ?? ""));
      for (const call of calls) {
        await worker.query("BEGIN");
        await worker.query("SET LOCAL citus.log_remote_commands = on");
        await worker.query(call.text, call.values).catch(() => undefined);
        await worker.query("ROLLBACK");
      }
      expect(notices.filter((n) => /^issuing /.test(n)), calls.map((c) => c.text).join("\n")).toEqual([]);
      expect(notices.some((n) => /executing the command locally/.test(n))).toBe(true);
    });
  }

  it("consume, the one-statement run and the general path", async () => {
    const { orgId, sql, members } = await createOrg({ members: [{ enrichmentAllocation: 50 }] });
    const owner = await ownerOf(orgId);
    await consumeUsage(sql, { orgId, metric: "emails_sent", quantity: 1, idempotencyKey: randomUUID() }, { now: NOW }); // the counter exists
    const run = await recording(() => consumeUsage(sql, { orgId, metric: "emails_sent", quantity: 2, idempotencyKey: randomUUID() }, { now: NOW }));
    expect(run.some((s) => s.text.includes("ledgerline_consume_run("))).toBe(true);
    const general = await recording(() =>
      consumeBatch(sql, orgId, [
        { metric: "enrichments", quantity: 3, userId: members[0], idempotencyKey: randomUUID() },
        { metric: "contacts", quantity: -1, idempotencyKey: randomUUID() },
      ], { now: NOW }),
    );
    expect(general.some((s) => s.text.includes("ledgerline_consume("))).toBe(true);
    await expectSingleWorkerPlans([...run, ...general], owner);
    await expectLocalOnOwner([...run, ...general], owner);
  });

  it("AI authorize, settle and release", async () => {
    const { orgId, sql, members } = await createOrg({ creditMicros: 5_000_000, members: [{}] });
    const owner = await ownerOf(orgId);
    const ai = { orgId, userId: members[0], feature: "chat", model: "gpt-4.1", inputTokens: 1_000, maxOutputTokens: 1_000 } as const;
    await authorizeAi(sql, ai, NOW); // the counters exist
    let authorizationId = "";
    const authorize = await recording(async () => ({ authorizationId } = await authorizeAi(sql, ai, NOW)));
    const settle = await recording(() => settleAi(sql, { orgId, authorizationId, inputTokens: 900, outputTokens: 500 }));
    const { authorizationId: toRelease } = await authorizeAi(sql, ai, NOW);
    const release = await recording(() => releaseAi(sql, orgId, toRelease));
    await expectSingleWorkerPlans([...authorize, ...settle, ...release], owner);
    await expectLocalOnOwner([...authorize, ...settle, ...release], owner);
  });

  it("the page snapshot", async () => {
    const { orgId, sql } = await createOrg({ members: [{}, {}] });
    const owner = await ownerOf(orgId);
    await consumeUsage(sql, { orgId, metric: "emails_sent", quantity: 5, idempotencyKey: randomUUID() }, { now: NOW });
    const store = await testStore();
    const snapshot = await recording(() => getUsageSnapshot(store.prisma, orgId, NOW));
    await expectSingleWorkerPlans(snapshot, owner);
  });
});

describe.skipIf(!onCitus)("on Citus with CITUS_ROUTING=workers (npm run test:citus)", () => {
  it("sends an org's enforcement calls to the worker that holds it, with the same answers", async () => {
    const routed = openStore({ kind: "server", url: process.env.DATABASE_URL! }, { citusRouting: "workers" });
    try {
      const { orgId } = await createOrg({ overrides: { emails_sent: 3 } });
      const sent = await recording(async () => {
        for (const quantity of [1, 2]) await consumeUsage(routed.sql, { orgId, metric: "emails_sent", quantity, idempotencyKey: randomUUID() }, { now: NOW });
        await expect(consumeUsage(routed.sql, { orgId, metric: "emails_sent", quantity: 1, idempotencyKey: randomUUID() }, { now: NOW })).rejects.toMatchObject({ code: "limit_exceeded" });
      });
      const ports = sent.filter((s) => /ledgerline_consume/.test(s.text)).map((s) => s.port);
      expect(ports.length).toBeGreaterThan(0);
      expect(new Set(ports)).toEqual(new Set([(await ownerOf(orgId)).nodeport]));
    } finally {
      await routed.close();
    }
  });
});
