import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { onServer } from "../support/store";
import { ensureBuild, faultOrg, postJson, startApp } from "./harness";

/**
 * A stalled database (a lock held on the hot counter) cannot pile up
 * connections or requests: statements time out, waiting for a connection
 * times out, every caller gets an answer, and the app never holds more
 * connections than its pool.
 */
describe.skipIf(!onServer)("slow store (needs DATABASE_URL)", () => {
  beforeAll(() => ensureBuild());

  it("bounds connections and answers everyone while a lock stalls the hot counter", async () => {
    const url = process.env.DATABASE_URL!;
    const org = await faultOrg();
    const app = await startApp(url, { DATABASE_STATEMENT_TIMEOUT_MS: "1500", DATABASE_POOL_SIZE: "8" });
    const blocker = new pg.Client({ connectionString: url });
    await blocker.connect();
    try {
      // Make the counter exist, then hold its row lock from outside the app.
      expect((await postJson(`${app.url}/api/v1/usage/consume`, org.key, { metric: "api_calls", quantity: 1, idempotencyKey: "warm" })).status).toBe(200);
      await blocker.query("BEGIN");
      await blocker.query(`SELECT used FROM usage_counters WHERE org_id = $1 AND metric = 'api_calls' FOR UPDATE`, [org.orgId]);

      let peakConnections = 0;
      const database = new URL(url).pathname.slice(1);
      const watcher = setInterval(async () => {
        const { rows } = await blocker.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = 'ledgerline'`, [database]).catch(() => ({ rows: [{ n: 0 }] }));
        peakConnections = Math.max(peakConnections, rows[0].n);
      }, 100);

      const started = Date.now();
      const answers = await Promise.all(Array.from({ length: 120 }, (_, i) =>
        postJson(`${app.url}/api/v1/usage/consume`, org.key, { metric: "api_calls", quantity: 1, idempotencyKey: `stalled-${i}` })));
      clearInterval(watcher);
      const elapsed = Date.now() - started;

      expect(new Set(answers.map((a) => a.status))).toEqual(new Set([503]));
      expect(answers.every((a) => a.body.error.code === "store_unavailable")).toBe(true);
      expect(elapsed).toBeLessThan(30_000);
      expect(peakConnections).toBeLessThanOrEqual(8 + 1); // the pool, plus Prisma's own may share it: never more

      console.log(`[faults] stalled counter: ${answers.length} concurrent consumes all answered 503 within ${elapsed} ms; ` +
        `peak app connections ${peakConnections} (pool 8)`);
      await blocker.query("ROLLBACK");
      const after = await postJson(`${app.url}/api/v1/usage/consume`, org.key, { metric: "api_calls", quantity: 1, idempotencyKey: "after" });
      expect(after.status).toBe(200);
      expect(after.body.used).toBe(2); // none of the stalled requests was recorded
    } finally {
      await blocker.end();
      await app.stop();
    }
  });
});
