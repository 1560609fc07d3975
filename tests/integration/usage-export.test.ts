import type { AddressInfo } from "node:net";
import { NextRequest } from "next/server";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { GET as sessionExport } from "@/app/(app)/settings/usage/export/route";
import { ENDPOINTS } from "@/app/api/endpoints";
import { GET as apiExport } from "@/app/api/v1/usage/export/route";
import { replyResponse } from "@/lib/api/endpoint";
import type { SqlExecutor } from "@/lib/db/sql-executor";
import { usageExport } from "@/lib/export/usage-export";
import { createAppServer } from "@/lib/http/app-server";
import { billingPeriodFor } from "@/lib/billing-cycle";
import { METRICS, type MetricId } from "@/lib/limits/metrics";
import { authorizeAi, settleAi } from "@/lib/metering/ai-holds";
import { consumeUsage } from "@/lib/metering/consume";
import { getUsageSnapshot } from "@/lib/metering/snapshot";
import { proxy } from "@/proxy";
import { createApiKey } from "../support/api";
import { csvObjects } from "../support/csv-reader";
import { signInAs, signOut } from "../support/signed-in";
import { createOrg, testStore } from "../support/store";

vi.mock("@/lib/auth/session", () => import("../support/signed-in"));

const DAY_MS = 86_400_000;
const isoDay = (at: Date) => at.toISOString().slice(0, 10);
const AWKWARD_NAME = 'Doe, Jane "JJ"\nof Sales';

/**
 * An org whose current cycle began two days ago at 12:34 UTC (so its first
 * day is split between two cycles), with usage by three members, usage
 * without a member, AI calls, a cumulative metric up and down, and one
 * event in the last minute of the previous cycle on the same UTC day.
 */
async function orgWithUsage(options: { previewFlag?: boolean } = {}) {
  const now = new Date();
  const anchorDay = new Date(now.getTime() - 2 * DAY_MS);
  const anchor = new Date(Date.UTC(anchorDay.getUTCFullYear(), anchorDay.getUTCMonth(), anchorDay.getUTCDate(), 12, 34));
  const { orgId, members, db, sql } = await createOrg({
    plan: "pro",
    anchor,
    members: [{ role: "admin" }, { role: "manager" }, { role: "user", enrichmentAllocation: 100 }, { role: "user" }],
  });
  if (options.previewFlag) await db.org.update({ where: { id: orgId }, data: { previewFlag: true } });
  const [admin, manager, user, other] = members;
  await db.user.update({ where: { id: user }, data: { name: AWKWARD_NAME } });
  const cycle = billingPeriodFor(anchor, now);
  let n = 0;
  const consume = (metric: MetricId, quantity: number, userId?: string, at?: Date) =>
    consumeUsage(sql, { orgId, metric, quantity, userId, idempotencyKey: `k${n++}` }, { now: at });
  await consume("emails_sent", 7, user, new Date(cycle.start.getTime() - 60_000));
  await consume("emails_sent", 12, user);
  await consume("emails_sent", 5, other);
  await consume("emails_sent", 3);
  await consume("enrichments", 4, user);
  await consume("enrichments", 2, manager);
  await consume("contacts", 10, admin);
  await consume("contacts", -3, admin);
  await consume("api_calls", 40);
  const ai = async (userId: string, feature: "email" | "chat", inputTokens: number, outputTokens: number) => {
    const { authorizationId } = await authorizeAi(sql, { orgId, userId, feature, model: "gpt-4.1-mini", inputTokens, maxOutputTokens: outputTokens });
    await settleAi(sql, { orgId, authorizationId, inputTokens, outputTokens });
  };
  await ai(user, "email", 120_000, 40_000);
  await ai(other, "chat", 50_000, 10_000);
  await ai(user, "chat", 1_000, 500);
  const key = await createApiKey(orgId);
  return { orgId, key, admin, manager, user, other, cycle, db, sql };
}

async function viaApi(key: string | null, query = "") {
  const headers: Record<string, string> = key ? { authorization: `Bearer ${key}` } : {};
  const response = await apiExport(new Request(`http://localhost/api/v1/usage/export${query}`, { headers }));
  return { response, text: await response.text() };
}

async function viaSession(query = "") {
  const response = await sessionExport(new Request(`http://localhost/settings/usage/export${query}`));
  return { response, text: await response.text() };
}

/** Sums of an export's quantity column per metric (and of amount_usd, in micro-dollars). */
function sums(rows: Record<string, string | number | null>[]) {
  const byMetric: Record<string, number> = {};
  let amountMicros = 0n;
  for (const row of rows) {
    byMetric[String(row.metric)] = (byMetric[String(row.metric)] ?? 0) + Number(row.quantity);
    if (row.amount_usd) amountMicros += BigInt(String(row.amount_usd).replace(".", ""));
  }
  return { byMetric, amountMicros: Number(amountMicros) };
}

let fixture: Awaited<ReturnType<typeof orgWithUsage>>;
let otherOrg: Awaited<ReturnType<typeof orgWithUsage>>;

beforeAll(async () => {
  await testStore();
  fixture = await orgWithUsage();
  otherOrg = await orgWithUsage();
});

describe("GET /api/v1/usage/export", () => {
  it("answers CSV by day over the current cycle by default, as an attachment named for its days", async () => {
    const { response, text } = await viaApi(fixture.key);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const from = isoDay(fixture.cycle.start);
    const to = isoDay(new Date(fixture.cycle.end.getTime() - 1));
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="ledgerline-usage-${from}-${to}.csv"`);
    const { header, rows } = csvObjects(text);
    expect(header).toEqual(["date", "metric", "unit", "quantity", "amount_usd"]);
    const today = isoDay(new Date());
    expect(rows.find((r) => r.metric === "emails_sent")).toEqual({ date: today, metric: "emails_sent", unit: "count", quantity: "20", amount_usd: "" });
    // The previous cycle's last minute is on the cycle's first UTC day, and not in this cycle.
    expect(rows.some((r) => r.date === from)).toBe(false);
    expect(rows.find((r) => r.metric === "ai_budget")?.amount_usd).toMatch(/^\d+\.\d{6}$/);
    expect(rows.every((r) => r.date >= from && r.date <= to)).toBe(true);
  });

  it("adds up, per metric and in AI dollars, to exactly the usage snapshot's figures for the current cycle, in every grouping", async () => {
    const snapshot = await getUsageSnapshot(fixture.db, fixture.orgId);
    const aiSpent = snapshot.ai.byFeature.reduce((sum, f) => sum + f.spentMicros, 0);
    expect(aiSpent).toBeGreaterThan(0);
    expect(snapshot.ai.usedMicros).toBe(aiSpent); // no credits drawn: the pool carried it all
    const expected: Record<string, number> = { ai_budget: aiSpent };
    // A fresh org: each cumulative meter's level is what this cycle added.
    for (const meter of snapshot.meters) if (meter.used !== 0) expected[meter.metric] = meter.used;
    expect(expected).toMatchObject({ emails_sent: 20, contacts: 7, enrichments: 6, api_calls: 40 });
    for (const groupBy of ["day", "metric", "member"]) {
      const { rows } = csvObjects((await viaApi(fixture.key, `?groupBy=${groupBy}`)).text);
      const { byMetric, amountMicros } = sums(rows);
      expect(byMetric, groupBy).toEqual(expected);
      expect(amountMicros, groupBy).toBe(aiSpent);
    }
    const features = csvObjects((await viaApi(fixture.key, "?groupBy=feature")).text).rows;
    expect(sums(features)).toEqual({ byMetric: { ai_budget: aiSpent, ai_tokens: expected.ai_tokens }, amountMicros: aiSpent });
    for (const f of snapshot.ai.byFeature) {
      const row = features.find((r) => r.feature === f.feature && r.metric === "ai_budget");
      expect(Number(row?.quantity ?? 0), f.feature).toBe(f.spentMicros);
    }
    const members = csvObjects((await viaApi(fixture.key, "?groupBy=member")).text).rows;
    for (const m of snapshot.members) {
      const of = (metric: string) => Number(members.find((r) => r.member_id === m.userId && r.metric === metric)?.quantity ?? 0);
      expect(of("ai_budget"), m.userId).toBe(m.ai.usedMicros);
      expect(of("enrichments"), m.userId).toBe(m.enrichments.used);
    }
  });

  it("counts whole UTC days for from and to: the previous cycle's last minute is on its day", async () => {
    const from = isoDay(fixture.cycle.start);
    const { rows } = csvObjects((await viaApi(fixture.key, `?from=${from}&to=${from}&groupBy=metric`)).text);
    expect(rows).toEqual([{ metric: "emails_sent", unit: "count", quantity: "7", amount_usd: "" }]);
    const { rows: member } = csvObjects((await viaApi(fixture.key, `?from=${from}&to=${isoDay(new Date())}&groupBy=member`)).text);
    expect(member.find((r) => r.member_id === fixture.user && r.metric === "emails_sent")?.quantity).toBe("19");
  });

  it("names members in RFC 4180 CSV that reads back exactly, usage without a member on a row of its own", async () => {
    const { rows } = csvObjects((await viaApi(fixture.key, "?groupBy=member")).text);
    const mine = rows.filter((r) => r.member_id === fixture.user);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((r) => r.member_name === AWKWARD_NAME && r.member_email === `${fixture.user}@example.test`)).toBe(true);
    expect(rows.filter((r) => r.member_id === "").map((r) => [r.metric, r.quantity, r.member_name])).toEqual([
      ["api_calls", "40", ""],
      ["emails_sent", "3", ""],
    ]);
    // Another org's members never appear.
    expect(rows.some((r) => [otherOrg.user, otherOrg.admin].includes(r.member_id))).toBe(false);
  });

  it("leaves out events of zero quantity (their ledger rows only keep their keys), as the daily totals do", async () => {
    const { orgId, members: [member], sql } = await createOrg({ plan: "pro", members: [{ role: "user" }] });
    await consumeUsage(sql, { orgId, metric: "emails_sent", quantity: 0, userId: member, idempotencyKey: "zero" });
    const key = await createApiKey(orgId);
    expect(csvObjects((await viaApi(key, "?groupBy=member")).text).rows).toEqual([]);
    expect(csvObjects((await viaApi(key, "?groupBy=day")).text).rows).toEqual([]);
    // A user's own export reads the ledger by member.
    signInAs(orgId, member, "user");
    try {
      for (const groupBy of ["day", "metric"]) expect(csvObjects((await viaSession(`?groupBy=${groupBy}`)).text).rows, groupBy).toEqual([]);
    } finally {
      signOut();
    }
  });

  it("answers a JSON array of row objects with format=json", async () => {
    const { response, text } = await viaApi(fixture.key, "?groupBy=feature&format=json");
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(response.headers.get("content-disposition")).toMatch(/filename="ledgerline-usage-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.json"/);
    const rows = JSON.parse(text) as Record<string, unknown>[];
    expect(rows.map((r) => `${r.feature}:${r.metric}`)).toEqual(["chat:ai_budget", "chat:ai_tokens", "email:ai_budget", "email:ai_tokens"]);
    for (const row of rows) {
      expect(Object.keys(row)).toEqual(["feature", "metric", "unit", "quantity", "amount_usd"]);
      expect(typeof row.quantity).toBe("number");
      if (row.metric === "ai_budget") expect(row.amount_usd).toBe((Number(row.quantity) / 1e6).toFixed(6));
      else expect(row.amount_usd).toBeNull();
    }
    const empty = await viaApi(fixture.key, "?from=2020-01-01&to=2020-01-31&format=json");
    expect(JSON.parse(empty.text)).toEqual([]);
    expect(csvObjects((await viaApi(fixture.key, "?from=2020-01-01&to=2020-01-31")).text)).toEqual({ header: ["date", "metric", "unit", "quantity", "amount_usd"], rows: [] });
  });

  it("refuses bad input with 400 invalid_request saying what is wrong", async () => {
    const cases: [string, RegExp][] = [
      ["?from=2026-02-30", /from: Must be a real calendar date/],
      ["?to=03/01/2026", /to: Must be a date as YYYY-MM-DD/],
      ["?from=2026-03-02&to=2026-03-01", /from \(2026-03-02\) is after to \(2026-03-01\)/],
      ["?from=2025-01-01&to=2026-01-02", /at most 366 days; 2025-01-01 to 2026-01-02 is 367/],
      ["?groupBy=week", /groupBy/],
      ["?format=xlsx", /format/],
      ["?from=2026-01-01&from=2026-01-02", /from more than once/],
    ];
    for (const [query, message] of cases) {
      const { response, text } = await viaApi(fixture.key, query);
      expect(response.status, query).toBe(400);
      const body = JSON.parse(text);
      expect(body.error.code, query).toBe("invalid_request");
      expect(body.error.message, query).toMatch(message);
    }
  });

  it("answers 401 without a key or with a bad one, before looking at the query", async () => {
    for (const key of [null, "ll_not_a_key"]) {
      const { response, text } = await viaApi(key, "?groupBy=week");
      expect(response.status).toBe(401);
      expect(JSON.parse(text).error.code).toBe("unauthorized");
    }
  });
});

describe("the export is streamed", () => {
  let bulk: { orgId: string; key: string };
  const MEMBERS = 2_500;

  beforeAll(async () => {
    const { orgId, sql, db } = await createOrg();
    const org = await db.org.findUniqueOrThrow({ where: { id: orgId } });
    const periodStart = billingPeriodFor(org.billingAnchor, new Date()).start;
    // Former members' usage, written as the store writes the ledger: enough (member, metric) groups for three batches.
    await sql.query(
      `INSERT INTO usage_ledger (org_id, user_id, metric, period_start, quantity, idempotency_key, created_at)
       SELECT $1, 'former_' || lpad(g::text, 5, '0'), 'api_calls', $2, g, 'bulk' || g, now() FROM generate_series(1, $3::int) g`,
      [orgId, periodStart, MEMBERS],
    );
    bulk = { orgId, key: await createApiKey(orgId) };
  });

  it("reads rows in keyset batches of at most batchRows, one org's rows per statement", async () => {
    const store = await testStore();
    const statements: { sql: string; params: unknown[]; rows: number }[] = [];
    const spy: SqlExecutor = {
      exec: (text) => store.sql.exec(text),
      async query<T>(text: string, params: unknown[] = [], options?: { name?: string; orgId?: string }) {
        expect(options?.orgId).toBe(bulk.orgId);
        const rows = await store.sql.query<T>(text, params, options);
        statements.push({ sql: text, params, rows: rows.length });
        return rows;
      },
    };
    const reply = await usageExport(spy, { orgId: bulk.orgId, reader: { kind: "apiKey" }, query: new URLSearchParams("groupBy=member&format=json"), batchRows: 100 });
    expect(statements).toHaveLength(1); // the org's terms, read before the answer: the rows are not read yet
    let chunks = 0;
    let text = "";
    for await (const chunk of reply.body as AsyncIterable<string>) {
      chunks += 1;
      text += chunk;
      // Never more than one batch read ahead of what was handed on.
      expect(statements.length - 1).toBeLessThanOrEqual(chunks);
    }
    const reads = statements.slice(1);
    expect(reads.length).toBe(MEMBERS / 100 + 1);
    expect(Math.max(...reads.map((s) => s.rows))).toBe(100);
    expect(reads.every((s) => s.params[0] === bulk.orgId && /WHERE l\.org_id = \$1/.test(s.sql))).toBe(true);
    const rows = JSON.parse(text) as { member_id: string; quantity: number }[];
    expect(rows).toHaveLength(MEMBERS);
    expect(rows.reduce((sum, r) => sum + r.quantity, 0)).toBe((MEMBERS * (MEMBERS + 1)) / 2);
    expect(new Set(rows.map((r) => r.member_id)).size).toBe(MEMBERS);
  });

  it("reaches the client as several chunks through Next's route and the node:http server alike", async () => {
    const response = await apiExport(new Request("http://localhost/api/v1/usage/export?groupBy=member", { headers: { authorization: `Bearer ${bulk.key}` } }));
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let chunks = 0;
    let text = "";
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks += 1;
      text += decoder.decode(value, { stream: true });
    }
    expect(chunks).toBeGreaterThanOrEqual(3); // 2,500 groups in batches of 1,000
    expect(csvObjects(text).rows).toHaveLength(MEMBERS);

    const server = createAppServer(ENDPOINTS, (_request, res) => res.writeHead(404).end());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const answer = await fetch(`http://127.0.0.1:${port}/api/v1/usage/export?groupBy=member&format=json`, { headers: { authorization: `Bearer ${bulk.key}` } });
      expect(answer.status).toBe(200);
      expect(answer.headers.get("content-length")).toBeNull();
      expect(answer.headers.get("transfer-encoding")).toBe("chunked");
      expect(answer.headers.get("x-content-type-options")).toBe("nosniff");
      expect(((await answer.json()) as unknown[]).length).toBe(MEMBERS);
      const refused = await fetch(`http://127.0.0.1:${port}/api/v1/usage/export?to=2026-02-30`, { headers: { authorization: `Bearer ${bulk.key}` } });
      expect(refused.status).toBe(400);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("invalid_request");
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it("answers a failure of the first read with its own status, not a 200 cut short", async () => {
    const failing: SqlExecutor = {
      exec: async () => {},
      query: async <T>(text: string, params?: unknown[], options?: { orgId?: string }) => {
        if (text.includes("FROM orgs")) return (await testStore()).sql.query<T>(text, params, options);
        throw Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
      },
    };
    const reply = await usageExport(failing, { orgId: bulk.orgId, reader: { kind: "apiKey" }, query: new URLSearchParams() });
    const response = await replyResponse(reply);
    expect(response.status).toBe(503);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("store_unavailable");
  });
});

describe("the Usage page's download (session)", () => {
  afterAll(() => signOut());

  it("gives a user their own rows only, and no dollar column at all", async () => {
    signInAs(fixture.orgId, fixture.user, "user");
    for (const groupBy of ["day", "metric", "member", "feature"]) {
      const { response, text } = await viaSession(`?groupBy=${groupBy}`);
      expect(response.status, groupBy).toBe(200);
      expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
      const { header, rows } = csvObjects(text);
      expect(header, groupBy).not.toContain("amount_usd");
      expect(rows.length, groupBy).toBeGreaterThan(0);
      expect(rows.some((r) => r.metric === "ai_budget"), groupBy).toBe(false);
      if (groupBy === "member") expect(new Set(rows.map((r) => r.member_id))).toEqual(new Set([fixture.user]));
    }
    const { rows } = csvObjects((await viaSession("?groupBy=metric")).text);
    // Their own: 12 of the org's 20 emails this cycle, their 4 enrichments, none of the org's API calls.
    expect(Object.fromEntries(rows.map((r) => [r.metric, r.quantity]))).toEqual({ ai_tokens: expect.any(String), emails_sent: "12", enrichments: "4" });
    const days = csvObjects((await viaSession()).text).rows;
    expect(days.filter((r) => r.metric === "emails_sent").map((r) => r.quantity)).toEqual(["12"]);
  });

  it("gives an admin every member's rows with dollars", async () => {
    signInAs(fixture.orgId, fixture.admin, "admin");
    const { header, rows } = csvObjects((await viaSession("?groupBy=member")).text);
    expect(header).toContain("amount_usd");
    expect(new Set(rows.map((r) => r.member_id))).toEqual(new Set([fixture.admin, fixture.manager, fixture.user, fixture.other, ""]));
    expect(rows.filter((r) => r.metric === "ai_budget").every((r) => /^\d+\.\d{6}$/.test(r.amount_usd))).toBe(true);
  });

  it("gives a manager the org's totals without dollars, and only their own member rows", async () => {
    signInAs(fixture.orgId, fixture.manager, "manager");
    const totals = csvObjects((await viaSession("?groupBy=metric")).text);
    expect(totals.header).toEqual(["metric", "unit", "quantity"]);
    expect(totals.rows.find((r) => r.metric === "emails_sent")?.quantity).toBe("20");
    expect(totals.rows.some((r) => r.metric === "ai_budget")).toBe(false);
    const members = csvObjects((await viaSession("?groupBy=member")).text).rows;
    expect(members.map((r) => [r.member_id, r.metric, r.quantity])).toEqual([[fixture.manager, "enrichments", "2"]]);
  });

  it("gives dollars to everyone in a preview-flag org, still only their own rows to a user", async () => {
    const preview = await orgWithUsage({ previewFlag: true });
    signInAs(preview.orgId, preview.user, "user");
    const { header, rows } = csvObjects((await viaSession("?groupBy=feature")).text);
    expect(header).toEqual(["feature", "metric", "unit", "quantity", "amount_usd"]);
    const aiBudget = rows.filter((r) => r.metric === "ai_budget");
    const snapshot = await getUsageSnapshot(preview.db, preview.orgId);
    const own = snapshot.members.find((m) => m.userId === preview.user)!.ai.usedMicros;
    expect(aiBudget.reduce((sum, r) => sum + Number(r.quantity), 0)).toBe(own);
    expect(own).toBeLessThan(snapshot.ai.usedMicros);
  });

  it("refuses bad input with the API's 400 JSON", async () => {
    signInAs(fixture.orgId, fixture.admin, "admin");
    const { response, text } = await viaSession("?groupBy=week");
    expect(response.status).toBe(400);
    expect(JSON.parse(text).error.code).toBe("invalid_request");
  });

  it("sends a signed-out browser to sign-in, as every page does", async () => {
    signOut();
    const error = await sessionExport(new Request("http://localhost/settings/usage/export")).catch((e: unknown) => e);
    expect((error as { digest?: string }).digest).toMatch(/^NEXT_REDIRECT;replace;\/signin\?callbackUrl=%2Fsettings%2Fusage%2Fexport;307;/);
    // Without a session cookie the proxy answers first, as for the Usage page itself.
    for (const path of ["/settings/usage", "/settings/usage/export"]) {
      const redirect = proxy(new NextRequest(`http://localhost${path}?groupBy=day`));
      expect(redirect.status).toBe(307);
      expect(redirect.headers.get("location")).toBe(`http://localhost/signin?callbackUrl=${encodeURIComponent(path)}`);
    }
  });
});

describe("columns", () => {
  it("give each metric its unit", async () => {
    const { rows } = csvObjects((await viaApi(fixture.key, "?groupBy=metric")).text);
    for (const row of rows) expect(row.unit).toBe(METRICS[row.metric as MetricId].unit);
  });
});

/**
 * On a Citus cluster (`npm run test:citus`): every statement an export sends,
 * in every grouping and for every kind of reader, is a router plan with one
 * task, as the single-worker test asks of the enforcement path.
 */
describe.skipIf(process.env.LEDGERLINE_TEST_CITUS !== "1")("on Citus, an export's statements each run on the org's worker alone", () => {
  it("for every grouping and reader", async () => {
    const sent: { text: string; values: unknown[] }[] = [];
    const original = pg.Client.prototype.query;
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      const [first, second] = args as [string | { text?: string; values?: unknown[] }, unknown[] | undefined];
      const text = typeof first === "string" ? first : first?.text;
      if (text && /\b(usage_ledger|usage_daily|orgs)\b/.test(text)) sent.push({ text, values: (typeof first === "string" ? second : first?.values) ?? [] });
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof original;
    try {
      const { sql } = await testStore();
      for (const reader of [{ kind: "apiKey" }, { kind: "member", userId: fixture.manager, role: "manager" }, { kind: "member", userId: fixture.user, role: "user" }] as const) {
        for (const groupBy of ["day", "metric", "member", "feature"]) {
          const reply = await usageExport(sql, { orgId: fixture.orgId, reader, query: new URLSearchParams(`groupBy=${groupBy}`) });
          for await (const chunk of reply.body as AsyncIterable<string>) void chunk;
        }
      }
    } finally {
      pg.Client.prototype.query = original;
    }
    const coordinator = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await coordinator.connect();
    try {
      expect(sent.length).toBeGreaterThan(12);
      for (const statement of sent) {
        const { rows } = await coordinator.query<{ "QUERY PLAN": string }>(`EXPLAIN (COSTS OFF) ${statement.text}`, statement.values);
        const plan = rows.map((r) => r["QUERY PLAN"]).join("\n");
        expect(plan, statement.text).toMatch(/Task Count: 1\b/);
        expect(plan, statement.text).not.toMatch(/Distributed Subplan|Task Count: (?!1\b)\d+/);
      }
    } finally {
      await coordinator.end();
    }
  });
});
