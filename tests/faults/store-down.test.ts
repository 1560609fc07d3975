import { describe, expect, it } from "vitest";
import { chromium } from "@playwright/test";
import { encode } from "next-auth/jwt";
import { startUserSession } from "@/lib/auth/user-sessions";
import { ledgerMismatches, onServer, testStore } from "../support/store";
import { consumeLoad, FAULTS_AUTH_SECRET, faultOrg, postJson, sleep, startApp, waitFor } from "./harness";
import { startTcpProxy } from "./tcp-proxy";

/**
 * The database goes away during load (every connection cut, new ones refused)
 * and comes back: the API answers 503 store_unavailable with Retry-After,
 * never a 500, never a 200 it did not record, and recovers by itself.
 */
describe.skipIf(!onServer)("store down (needs DATABASE_URL)", () => {

  it("answers 503 while Postgres is unreachable and recovers when it returns", async () => {
    const direct = new URL(process.env.DATABASE_URL!);
    const proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
    const viaProxy = new URL(direct);
    viaProxy.port = String(proxy.port);
    const org = await faultOrg();
    const app = await startApp(viaProxy.toString(), { DATABASE_STATEMENT_TIMEOUT_MS: "2000" });
    let done = false;
    try {
      const load = consumeLoad(() => app.url, org.key, 8, () => done);
      await waitFor(load.sent, 100, (s) => s.status === 200);
      expect((await fetch(`${app.url}/api/ready`)).status).toBe(200);
      proxy.cut();
      const cutAt = Date.now();
      await sleep(3_000);

      // Not ready (a load balancer stops sending traffic), yet alive (a supervisor does not restart it).
      const notReady = await fetch(`${app.url}/api/ready`);
      expect(notReady.status).toBe(503);
      expect(((await notReady.json()) as { error: { code: string } }).error.code).toBe("store_unavailable");
      expect((await fetch(`${app.url}/api/health`)).status).toBe(200);

      // The Usage page shows a clear error state in a real browser, not a crash.
      // Signed in as the member: a session row (written by the test's own connection, which is not cut), named by the cookie's sid.
      const sid = await startUserSession(org.db, `${org.members[0]}@example.test`);
      const token = await encode({ token: { sid, sub: org.members[0] }, secret: FAULTS_AUTH_SECRET, salt: "authjs.session-token" });
      const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
      try {
        const context = await browser.newContext();
        await context.addCookies([{ name: "authjs.session-token", value: token, url: app.url }]);
        const page = await context.newPage();
        await page.goto(`${app.url}/settings/usage`);
        await page.getByRole("alert").filter({ hasText: /could not be loaded/ }).waitFor({ timeout: 30_000 });
        expect(await page.getByRole("button", { name: "Try again" }).isVisible()).toBe(true);
      } finally {
        await browser.close();
      }

      proxy.restore();
      const restoredAt = Date.now();
      await waitForReady(app.url);
      const answeredBeforeRestore = load.sent.length;
      await waitFor(load.sent, 50, (s) => s.status === 200 && load.sent.indexOf(s) >= answeredBeforeRestore);
      done = true;
      const sent = await load.done;

      expect(sent.filter((s) => s.status === "network_error")).toEqual([]);
      expect(sent.filter((s) => s.status !== 200 && s.status !== 503)).toEqual([]);
      const unavailable = sent.filter((s) => s.status === 503);
      expect(unavailable.length).toBeGreaterThan(0);
      for (const s of unavailable) {
        expect(s.body?.error).toMatchObject({ code: "store_unavailable" });
        expect(Number(s.retryAfter)).toBeGreaterThan(0);
      }
      expect(sent.filter((s) => s.status === 200).length).toBeGreaterThan(0);
      expect(Date.now() - cutAt).toBeGreaterThan(0);
      expect(restoredAt).toBeGreaterThan(cutAt);

      // Every 200 is recorded; retrying the 503s lands each exactly once.
      const store = await testStore();
      const recorded = new Set((await store.sql.query<{ idempotency_key: string }>(
        `SELECT idempotency_key FROM usage_ledger WHERE org_id = $1`, [org.orgId])).map((r) => r.idempotency_key));
      for (const s of sent.filter((s) => s.status === 200)) expect(recorded.has(s.idempotencyKey)).toBe(true);
      for (const s of unavailable) {
        const retry = await postJson(`${app.url}/api/v1/usage/consume`, org.key, { metric: "api_calls", quantity: 1, idempotencyKey: s.idempotencyKey });
        expect(retry.status).toBe(200);
      }
      const [ledger] = await store.sql.query<{ rows: number }>(`SELECT count(*)::int AS rows FROM usage_ledger WHERE org_id = $1`, [org.orgId]);
      expect(ledger.rows).toBe(sent.length);
      expect(await ledgerMismatches(org.orgId)).toEqual([]);
      console.log(`[faults] store down: ${sent.length} consumes, ${sent.length - unavailable.length} answered 200, ` +
        `${unavailable.length} answered 503 store_unavailable, 500s 0; every 200 recorded; after retrying the 503s: ${ledger.rows} ledger rows, lost 0`);
    } finally {
      done = true;
      await app.stop();
      await proxy.close();
    }
  });
});

async function waitForReady(url: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while ((await fetch(`${url}/api/ready`)).status !== 200) {
    if (Date.now() > deadline) throw new Error("never ready again after the store came back");
    await sleep(200);
  }
}
