import { describe, expect, it } from "vitest";
import { ensureLedgerPartitions, LEDGER_MONTHS_AHEAD } from "@/lib/db/ledger-partitions";
import { consumeUsage } from "@/lib/metering/consume";
import { createOrg, ledgerMismatches, onServer, testStore } from "../support/store";

const monthName = (at: Date) => `usage_ledger_${at.getUTCFullYear()}_${String(at.getUTCMonth() + 1).padStart(2, "0")}`;
const monthsFromNow = (n: number) => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + n, 1));
};

async function partitions() {
  const { sql } = await testStore();
  const rows = await sql.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'usage_ledger'::regclass ORDER BY 1`,
  );
  return rows.map((r) => r.name);
}

describe("the ledger, partitioned by month", () => {
  it("has this month's partition and the next ones made ahead, once", async () => {
    const { sql } = await testStore();
    expect(await ensureLedgerPartitions(sql)).toBe(0); // the migration runner made them already
    const names = await partitions();
    for (let n = 0; n <= LEDGER_MONTHS_AHEAD; n++) expect(names).toContain(monthName(monthsFromNow(n)));
    expect(names).toContain("usage_ledger_history");
  });
});

describe.skipIf(!onServer)("a load across a month boundary (real Postgres)", () => {
  it("lands each event in its month's partition with no change to any answer: counters equal the ledger", async () => {
    const { orgId, sql } = await createOrg({ overrides: { api_calls: 1_000_000 } });
    const boundary = monthsFromNow(1);
    const sides = [new Date(boundary.getTime() - 1), boundary];
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        consumeUsage(sql, { orgId, metric: "api_calls", quantity: 1, idempotencyKey: `edge-${i}` }, { now: sides[i % 2] })),
    );
    expect(answers.every((a) => a.allowed)).toBe(true);
    const { sql: read } = await testStore();
    const rows = await read.query<{ partition: string; n: number }>(
      `SELECT tableoid::regclass::text AS partition, count(*)::int AS n FROM usage_ledger WHERE org_id = $1 GROUP BY 1 ORDER BY 1`,
      [orgId],
    );
    // On Citus the row is read on a worker, from the partition's shard (usage_ledger_2026_12_102204).
    expect(rows.map((r) => ({ ...r, partition: r.partition.replace(/_\d{5,}$/, "") }))).toEqual([
      { partition: monthName(monthsFromNow(0)), n: 100 },
      { partition: monthName(boundary), n: 100 },
    ]);
    expect(await ledgerMismatches(orgId)).toEqual([]);
  });

  it("replays a key recorded in the last month's partition to a retry in this month's", async () => {
    const { orgId, sql } = await createOrg({ overrides: { api_calls: 1_000_000 } });
    const boundary = monthsFromNow(1);
    const keys = Array.from({ length: 20 }, (_, i) => `across-${i}`);
    const before = new Date(boundary.getTime() - 1);
    const firsts = await Promise.all(keys.map((key) => consumeUsage(sql, { orgId, metric: "api_calls", quantity: 1, idempotencyKey: key }, { now: before })));
    const retries = await Promise.all(keys.map((key) => consumeUsage(sql, { orgId, metric: "api_calls", quantity: 1, idempotencyKey: key }, { now: boundary })));
    expect(retries).toEqual(firsts);
    const { sql: read } = await testStore();
    const [rows] = await read.query<{ n: number }>(`SELECT count(*)::int AS n FROM usage_ledger WHERE org_id = $1`, [orgId]);
    expect(rows.n).toBe(keys.length);
    expect(await ledgerMismatches(orgId)).toEqual([]);
  });
});
