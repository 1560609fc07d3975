import { afterAll, describe, expect, it } from "vitest";
import { KEY_INDEX_GRACE_MS, retireKeyIndexes } from "@/lib/db/ledger-partitions";
import { applyMigrations } from "@/lib/db/migrate";
import { openStore } from "@/lib/db/open";
import { consumeUsage } from "@/lib/metering/consume";
import { idempotencyWindowMs, requestHash } from "@/lib/metering/idempotency";
import { scratchDatabases } from "../support/scratch-databases";
import { createOrg, ledgerMismatches, onServer, testStore } from "../support/store";

const HOUR = 3_600_000;
const WINDOW = 24 * HOUR;
const OLD = new Date("2026-03-01T10:00:00Z");

async function ledgerRowsOf(orgId: string, key: string) {
  const { sql } = await testStore();
  const [row] = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM usage_ledger WHERE org_id = $1 AND idempotency_key = $2`, [orgId, key]);
  return row.n;
}

describe("the idempotency window", () => {
  it("is 24 hours unless configured, and never shorter than a day nor longer than 35 days", () => {
    expect(idempotencyWindowMs({})).toBe(WINDOW);
    expect(idempotencyWindowMs({ IDEMPOTENCY_WINDOW_HOURS: "72" })).toBe(72 * HOUR);
    expect(() => idempotencyWindowMs({ IDEMPOTENCY_WINDOW_HOURS: "1" })).toThrow();
    expect(() => idempotencyWindowMs({ IDEMPOTENCY_WINDOW_HOURS: String(36 * 24) })).toThrow();
  });

  it("replays a key for the whole window, its last instant included; a retry after it is a new request", async () => {
    const { orgId, sql } = await createOrg();
    const consume = (idempotencyKey: string, now: Date, quantity = 1) => consumeUsage(sql, { orgId, metric: "api_calls", quantity, idempotencyKey }, { now });
    const first = await consume("a", OLD);
    await consume("b", OLD);
    expect(await consume("a", new Date(OLD.getTime() + WINDOW))).toEqual(first);
    await expect(consume("a", new Date(OLD.getTime() + WINDOW), 2)).rejects.toMatchObject({ code: "idempotency_conflict" });
    expect(await ledgerRowsOf(orgId, "a")).toBe(1);

    const later = new Date(OLD.getTime() + WINDOW + 1);
    const fresh = await consume("b", later, 5); // another request under an expired key: counted as new
    expect(fresh.used).toBe(7);
    expect(await ledgerRowsOf(orgId, "b")).toBe(2);
    expect(await consume("b", later, 5)).toEqual(fresh); // and the new record is replayed in turn
    // An instance whose clock runs behind sees both records within its window: the newest is the key's answer.
    expect(await consume("b", new Date(OLD.getTime() + WINDOW), 5)).toEqual(fresh);
    expect(await ledgerMismatches(orgId)).toEqual([]);
  });

  it("records every admitted event's answer on its ledger row, a zero quantity's too", async () => {
    const { orgId, sql } = await createOrg();
    const first = await consumeUsage(sql, { orgId, metric: "api_calls", quantity: 0, idempotencyKey: "zero" }, { now: OLD });
    const { sql: admin } = await testStore();
    const [row] = await admin.query<{ quantity: string; digest: string; used: string }>(
      `SELECT quantity::text, encode(request_digest, 'hex') AS digest, answer_used::text AS used FROM usage_ledger WHERE org_id = $1 AND idempotency_key = 'zero'`,
      [orgId],
    );
    expect(row).toEqual({ quantity: "0", digest: requestHash("consume", { orgId, metric: "api_calls", quantity: 0 }), used: String(first.used) });
    await consumeUsage(sql, { orgId, metric: "api_calls", quantity: 3, idempotencyKey: "other" }, { now: OLD });
    expect(await consumeUsage(sql, { orgId, metric: "api_calls", quantity: 0, idempotencyKey: "zero" }, { now: OLD })).toEqual(first);
  });
});

describe.skipIf(!onServer)("retries at the window's edge, racing (real Postgres)", () => {
  it("answers each as a replay until the window's last instant and as one new request after it, never both, counters equal to the ledger", async () => {
    const { orgId, sql } = await createOrg();
    const keys = Array.from({ length: 60 }, (_, i) => `edge-${i}`);
    const firsts = await Promise.all(keys.map((key) => consumeUsage(sql, { orgId, metric: "api_calls", quantity: 1, idempotencyKey: key }, { now: OLD })));
    const edge = OLD.getTime() + WINDOW;
    // Each key retried three times at once: at the window's last instant and just after it, in turns.
    const at = (i: number, n: number) => new Date(edge + ((i + n) % 2));
    const retries = await Promise.all(keys.flatMap((key, i) => [0, 1, 2].map((n) =>
      consumeUsage(sql, { orgId, metric: "api_calls", quantity: 1, idempotencyKey: key }, { now: at(i, n) }).then((answer) => ({ i, n, answer })))));
    for (const [i, key] of keys.entries()) {
      const mine = retries.filter((r) => r.i === i);
      for (const { answer } of mine.filter((r) => at(i, r.n).getTime() === edge)) expect(answer).toEqual(firsts[i]);
      const news = mine.filter((r) => at(i, r.n).getTime() > edge).map((r) => r.answer);
      expect(news.length).toBeGreaterThan(0);
      for (const answer of news) expect(answer).toEqual(news[0]); // one new request; the others replay it
      expect(news[0].used).toBeGreaterThan(firsts[i].used);
      expect(await ledgerRowsOf(orgId, key)).toBe(2);
    }
    expect(await ledgerMismatches(orgId)).toEqual([]);
  });
});

describe.skipIf(!onServer)("the key index, bounded by the window (real Postgres)", () => {
  const databases = scratchDatabases("ledgerline_key_index");
  afterAll(() => databases.dropAll());

  async function keyIndexes(store: ReturnType<typeof openStore>) {
    const rows = await store.sql.query<{ name: string }>(
      `SELECT i.relname AS name FROM pg_inherits h JOIN pg_index x ON x.indrelid = h.inhrelid JOIN pg_class i ON i.oid = x.indexrelid
       WHERE h.inhparent = 'usage_ledger'::regclass AND i.relname LIKE '%\\_key\\_idx' ORDER BY 1`,
    );
    return rows.map((r) => r.name);
  }

  it("is made with each month and dropped, concurrently, once the window has left the month behind", async () => {
    const store = openStore({ kind: "server", url: await databases.create() });
    try {
      await applyMigrations(store.sql);
      const [thisMonth, nextMonth] = [0, 1].map((n) => {
        const now = new Date();
        return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + n, 1));
      });
      const monthIndex = (at: Date) => `usage_ledger_${at.getUTCFullYear()}_${String(at.getUTCMonth() + 1).padStart(2, "0")}_key_idx`;
      const made = await keyIndexes(store);
      expect(made).toEqual(expect.arrayContaining([monthIndex(thisMonth), monthIndex(nextMonth)]));

      // A window that still reaches into this month (by less than the grace) leaves its index.
      expect(await retireKeyIndexes(store.sql, new Date(nextMonth.getTime() + KEY_INDEX_GRACE_MS - 1))).not.toContain(monthIndex(thisMonth));
      expect(await keyIndexes(store)).toContain(monthIndex(thisMonth));
      // Once the window starts after this month's end (and the grace), this month's index goes; later months keep theirs.
      expect(await retireKeyIndexes(store.sql, new Date(nextMonth.getTime() + KEY_INDEX_GRACE_MS))).toEqual([monthIndex(thisMonth)]);
      expect(await keyIndexes(store)).toEqual(made.filter((name) => name !== monthIndex(thisMonth) && name !== "usage_ledger_history_key_idx"));
      expect(await keyIndexes(store)).toContain(monthIndex(nextMonth));
    } finally {
      await store.close();
    }
  });
});
