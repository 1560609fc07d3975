import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ledgerMismatches, onServer, testStore } from "../support/store";
import { consumeLoad, faultOrg, postJson, restartApp, sleep, startApp, waitFor } from "./harness";

/**
 * kill -9 in the middle of consume, batch and AI traffic, then a restart:
 * every 200 is in the ledger, client retries with the same keys count nothing
 * twice, counters equal the ledger and holds left open by the crash free
 * themselves.
 */
describe.skipIf(!onServer)("crash: kill -9 under load (needs DATABASE_URL)", () => {
  const HOLD_TTL = { AI_HOLD_TTL_SECONDS: "2" };

  it("loses nothing and counts nothing twice", async () => {
    const url = process.env.DATABASE_URL!;
    const org = await faultOrg();
    let app = await startApp(url, HOLD_TTL);
    let crashed = false;
    const userId = org.members[0];

    const ai: { authorizationId?: string; settled: boolean }[] = [];
    const aiLoad = Promise.all(Array.from({ length: 4 }, async () => {
      while (!crashed) {
        const entry: (typeof ai)[number] = { settled: false };
        try {
          const auth = await postJson(`${app.url}/api/v1/ai/authorize`, org.key, { userId, feature: "chat", model: "gpt-4.1", inputTokens: 100, maxOutputTokens: 100 });
          if (auth.status !== 200) continue;
          entry.authorizationId = auth.body.authorizationId;
          ai.push(entry);
          const settled = await postJson(`${app.url}/api/v1/ai/settle`, org.key, { authorizationId: entry.authorizationId, inputTokens: 100, outputTokens: 50 });
          entry.settled = settled.status === 200;
        } catch {
          // the server died under us
        }
      }
    }));
    // Batches of 200 emails each, every event with its own key.
    const batches: { keys: string[]; status: number | "network_error"; body?: Record<string, any> }[] = [];
    const batchOf = (keys: string[]) => ({ events: keys.map((idempotencyKey) => ({ metric: "emails_sent", quantity: 1, idempotencyKey })) });
    const batchLoad = Promise.all(Array.from({ length: 2 }, async () => {
      while (!crashed) {
        const keys = Array.from({ length: 200 }, () => randomUUID());
        try {
          const res = await postJson(`${app.url}/api/v1/usage/batch`, org.key, batchOf(keys));
          batches.push({ keys, status: res.status, body: res.body });
        } catch {
          batches.push({ keys, status: "network_error" });
          await sleep(20);
        }
      }
    }));
    const consumes = consumeLoad(() => app.url, org.key, 16, () => crashed);
    await waitFor(consumes.sent, 200, (s) => s.status === 200);
    await app.kill();
    crashed = true;
    const [sent] = await Promise.all([consumes.done, aiLoad, batchLoad]);

    const admitted = sent.filter((s) => s.status === 200);
    const lost = sent.filter((s) => s.status === "network_error");
    expect(admitted.length).toBeGreaterThanOrEqual(200);
    expect(sent.every((s) => s.status === 200 || s.status === "network_error")).toBe(true);

    app = await restartApp(app.port, url, HOLD_TTL);
    try {
      // Clients retry everything with the same keys: answered ones replay, lost ones land once.
      for (const s of sent) {
        const retry = await postJson(`${app.url}/api/v1/usage/consume`, org.key, { metric: "api_calls", quantity: 1, idempotencyKey: s.idempotencyKey });
        expect(retry.status).toBe(200);
        if (s.status === 200) expect(retry.body).toEqual(s.body);
      }
      const store = await testStore();
      const [ledger] = await store.sql.query<{ rows: number; keys: number }>(
        `SELECT count(*)::int AS rows, count(DISTINCT idempotency_key)::int AS keys FROM usage_ledger WHERE org_id = $1 AND metric = 'api_calls'`, [org.orgId]);
      expect(ledger).toEqual({ rows: sent.length, keys: sent.length });
      expect(lost.length + admitted.length).toBe(sent.length);
      expect(await ledgerMismatches(org.orgId)).toEqual([]);
      console.log(`[faults] crash: ${sent.length} consumes under load, ${admitted.length} answered 200 before kill -9, ` +
        `${lost.length} cut off by it; after retries with the same keys: ${ledger.rows} ledger rows for ${sent.length} keys, lost 0, counted twice 0`);

      // Batches: each retried whole with the same keys; answered ones replay event for event, cut ones land once.
      expect(batches.some((b) => b.status === 200)).toBe(true);
      for (const b of batches) {
        const retry = await postJson(`${app.url}/api/v1/usage/batch`, org.key, batchOf(b.keys));
        expect(retry.status).toBe(200);
        expect(retry.body.admitted).toBe(b.keys.length);
        if (b.status === 200) expect(retry.body.results).toEqual(b.body!.results);
      }
      const [emails] = await store.sql.query<{ rows: number; keys: number }>(
        `SELECT count(*)::int AS rows, count(DISTINCT idempotency_key)::int AS keys FROM usage_ledger WHERE org_id = $1 AND metric = 'emails_sent'`, [org.orgId]);
      expect(emails).toEqual({ rows: batches.length * 200, keys: batches.length * 200 });
      expect(await ledgerMismatches(org.orgId)).toEqual([]);
      console.log(`[faults] crash: ${batches.length} batches of 200 under load, ${batches.filter((b) => b.status === 200).length} answered before kill -9; ` +
        `after retries: ${emails.rows} ledger rows for ${batches.length * 200} keys`);

      // Holds the crash left open expire, and free themselves on the next AI call.
      await sleep(2_500);
      const next = await postJson(`${app.url}/api/v1/ai/authorize`, org.key, { userId, feature: "chat", model: "gpt-4.1", inputTokens: 100, maxOutputTokens: 100 });
      expect(next.status).toBe(200);
      const [pool] = await store.sql.query<{ held: string }>(
        `SELECT held::text FROM usage_counters WHERE org_id = $1 AND user_id = '' AND metric = 'ai_budget'`, [org.orgId]);
      expect(Number(pool.held)).toBe(next.body.holdMicros);
      const [open] = await store.sql.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ai_authorizations WHERE org_id = $1 AND status = 'held'`, [org.orgId]);
      expect(open.n).toBe(1);
      expect(ai.filter((a) => a.settled).length).toBeGreaterThan(0);
      expect(await ledgerMismatches(org.orgId)).toEqual([]);
    } finally {
      await app.stop();
    }
  });
});
