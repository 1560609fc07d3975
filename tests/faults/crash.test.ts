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
  it("settles or releases every answered hold once after retries when kill -9 lands in a coalesced AI burst", async () => {
    const url = process.env.DATABASE_URL!;
    const org = await faultOrg();
    let app = await startApp(url);
    let crashed = false;
    const userId = org.members[0];
    const call = { userId, feature: "chat", model: "gpt-4.1", inputTokens: 100, maxOutputTokens: 100 };
    // 24 clients, so that each org's authorizations, settles and releases arrive while a batch is
    // in flight and go together; every third hold is released instead of settled.
    const holds: { authorizationId: string; settle: boolean; answer?: { status: number; body: Record<string, any> } }[] = [];
    const load = Promise.all(Array.from({ length: 24 }, async (_, worker) => {
      while (!crashed) {
        try {
          const auth = await postJson(`${app.url}/api/v1/ai/authorize`, org.key, call);
          if (auth.status !== 200) throw new Error(`authorize answered ${auth.status}`);
          const hold: (typeof holds)[number] = { authorizationId: auth.body.authorizationId, settle: worker % 3 !== 0 };
          holds.push(hold);
          hold.answer = hold.settle
            ? await postJson(`${app.url}/api/v1/ai/settle`, org.key, { authorizationId: hold.authorizationId, inputTokens: 100, outputTokens: 50 })
            : await postJson(`${app.url}/api/v1/ai/release`, org.key, { authorizationId: hold.authorizationId });
        } catch (error) {
          if (!crashed && !(error instanceof TypeError)) throw error;
        }
      }
    }));
    while (holds.filter((h) => h.answer?.status === 200).length < 300) await sleep(10);
    crashed = true; // no new pairs: the ones in flight are cut by the kill
    await app.kill();
    await load;

    app = await restartApp(app.port, url);
    try {
      const cut = holds.filter((h) => !h.answer).length;
      // Every answered hold is retried: a settle replays its first answer, a release answers the same.
      for (const hold of holds) {
        const retry = hold.settle
          ? await postJson(`${app.url}/api/v1/ai/settle`, org.key, { authorizationId: hold.authorizationId, inputTokens: 100, outputTokens: 50 })
          : await postJson(`${app.url}/api/v1/ai/release`, org.key, { authorizationId: hold.authorizationId });
        expect(retry.status).toBe(200);
        if (hold.answer) expect(retry.body).toEqual(hold.answer.body);
      }
      const store = await testStore();
      const settled = holds.filter((h) => h.settle).map((h) => h.authorizationId);
      const released = holds.filter((h) => !h.settle).map((h) => h.authorizationId);
      const [ledger] = await store.sql.query<{ rows: number; holds: number; released: number }>(
        `SELECT count(*)::int AS rows, count(DISTINCT idempotency_key)::int AS holds,
                count(*) FILTER (WHERE idempotency_key = ANY($3::text[]))::int AS released
         FROM usage_ledger WHERE org_id = $1 AND metric = 'ai_budget' AND idempotency_key = ANY($2::text[] || $3::text[])`,
        [org.orgId, settled, released],
      );
      expect(ledger).toEqual({ rows: settled.length, holds: settled.length, released: 0 });
      const [statuses] = await store.sql.query<{ settled: number; released: number }>(
        `SELECT count(*) FILTER (WHERE status = 'settled')::int AS settled, count(*) FILTER (WHERE status = 'released')::int AS released
         FROM ai_authorizations WHERE org_id = $1 AND id = ANY($2::text[] || $3::text[])`,
        [org.orgId, settled, released],
      );
      expect(statuses).toEqual({ settled: settled.length, released: released.length });
      // What is still held is only what authorizations cut off by the crash left: they expire on their own.
      const [held] = await store.sql.query<{ pool: string; rows: string }>(
        `SELECT (SELECT held FROM usage_counters WHERE org_id = $1 AND user_id = '' AND metric = 'ai_budget')::text AS pool,
                (SELECT coalesce(sum(pool_hold_micros), 0) FROM ai_authorizations WHERE org_id = $1 AND status = 'held')::text AS rows`,
        [org.orgId],
      );
      expect(held.pool).toBe(held.rows);
      expect(await ledgerMismatches(org.orgId)).toEqual([]);
      console.log(`[faults] crash: ${holds.length} holds in coalesced AI bursts, ${cut} cut off by kill -9 before their settle or release was answered; ` +
        `after retries: ${settled.length} settled once each, ${released.length} released, 0 charged twice`);
    } finally {
      await app.stop();
    }
  });
});
