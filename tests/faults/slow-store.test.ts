import pg from "pg";
import { describe, expect, it } from "vitest";
import { onServer } from "../support/store";
import { faultOrg, postJson, startApp } from "./harness";

/**
 * A stalled database (the counters table locked from outside) cannot pile up
 * connections or requests: statements time out, waiting for a connection
 * times out, every caller gets an answer, and the app never holds more
 * connections than its pool.
 */
describe.skipIf(!onServer)("slow store (needs DATABASE_URL)", () => {
  it("bounds connections and answers everyone while the counters are locked", async () => {
    const url = process.env.DATABASE_URL!;
    const orgs = await Promise.all(Array.from({ length: 40 }, () => faultOrg()));
    const app = await startApp(url, { DATABASE_STATEMENT_TIMEOUT_MS: "1500", DATABASE_POOL_SIZE: "8", DATABASE_APPLICATION_NAME: "ledgerline-stalled-app" });
    const blocker = new pg.Client({ connectionString: url });
    const watcher = new pg.Client({ connectionString: url });
    await Promise.all([blocker.connect(), watcher.connect()]);
    try {
      const consume = (i: number, key: string) =>
        postJson(`${app.url}/api/v1/usage/consume`, orgs[i % orgs.length].key, { metric: "api_calls", quantity: 1, idempotencyKey: key });
      expect((await consume(0, "warm")).status).toBe(200);
      await blocker.query("BEGIN");
      await blocker.query("LOCK TABLE usage_counters IN EXCLUSIVE MODE");

      let peakConnections = 0;
      const database = new URL(url).pathname.slice(1);
      const sampler = setInterval(async () => {
        const { rows } = await watcher.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = 'ledgerline-stalled-app'`, [database]);
        peakConnections = Math.max(peakConnections, rows[0].n);
      }, 50);

      // 120 requests over 40 orgs: the coalescer cannot fold them into one batch, so they compete for connections.
      const started = Date.now();
      const answers = await Promise.all(Array.from({ length: 120 }, (_, i) => consume(i, `stalled-${i}`)));
      const elapsed = Date.now() - started;
      clearInterval(sampler);

      expect(new Set(answers.map((a) => a.status))).toEqual(new Set([503]));
      expect(answers.every((a) => a.body.error.code === "store_unavailable")).toBe(true);
      expect(elapsed).toBeLessThan(30_000);
      expect(peakConnections).toBeGreaterThan(1);
      expect(peakConnections).toBeLessThanOrEqual(8);
      console.log(`[faults] stalled store: ${answers.length} concurrent consumes over ${orgs.length} orgs all answered 503 within ${elapsed} ms; ` +
        `peak app connections ${peakConnections} (pool 8)`);

      await blocker.query("ROLLBACK");
      const after = await consume(0, "after");
      expect(after.status).toBe(200);
      expect(after.body.used).toBe(2); // none of the stalled requests was recorded
    } finally {
      await Promise.all([blocker.end(), watcher.end()]);
      await app.stop();
    }
  });
});
