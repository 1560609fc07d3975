import type { SqlExecutor } from "@/lib/db/sql-executor";
import { purgeExpiredKeys } from "@/lib/metering/idempotency-purge";
import { consumeBody, httpLoad } from "./load";

/**
 * What every admitted event adds to: the ledger and the idempotency keys, tables, indexes and
 * TOAST, after VACUUM. The ledger is partitioned, and a partitioned table has no storage of its
 * own (pg_total_relation_size of it is 0): its partitions are summed.
 */
export async function eventBytes(sql: SqlExecutor) {
  await sql.exec("VACUUM usage_ledger, idempotency_keys");
  const [row] = await sql.query<{ bytes: string }>(
    `SELECT (SELECT sum(pg_total_relation_size(relid)) FROM pg_partition_tree('usage_ledger') WHERE isleaf)
            + pg_total_relation_size('idempotency_keys') AS bytes`,
  );
  return Number(row.bytes);
}

async function keyCount(sql: SqlExecutor) {
  const [row] = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM idempotency_keys`);
  return row.n;
}

/**
 * A consume load of `seconds` while this process purges keys older than
 * `windowSeconds` every second with the store's own purge, counting the keys
 * after each pass: the count one window in, and the largest in the last third
 * of the load, and the longest purge pass. Bounded means the second is not
 * above the first by more than the purge's lag: a pass visits every org, so
 * the lag is the pass interval plus a pass's own length.
 */
export async function steadyKeys(sql: SqlExecutor, { url, seconds, windowSeconds, orgs }: { url: string; seconds: number; windowSeconds: number; orgs: string[] }) {
  // The earlier loads' keys go first, so that the count is of this load's alone.
  await purgeExpiredKeys(sql, { olderThan: new Date() });
  let running = true;
  const samples: { at: number; keys: number; passMs: number }[] = [];
  const started = Date.now();
  const purging = (async () => {
    while (running) {
      const passStarted = Date.now();
      await purgeExpiredKeys(sql, { olderThan: new Date(passStarted - windowSeconds * 1_000) });
      samples.push({ at: Date.now() - started, keys: await keyCount(sql), passMs: Date.now() - passStarted });
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  })();
  const load = await httpLoad({ url, path: "/api/v1/usage/consume", method: "POST", connections: 64, seconds, orgs, body: consumeBody });
  running = false;
  await purging;
  const duringLoad = samples.filter((s) => s.at <= seconds * 1_000);
  const afterOneWindow = duringLoad.find((s) => s.at >= (windowSeconds + 1) * 1_000) ?? duringLoad[0];
  const lastThird = duringLoad.filter((s) => s.at >= (seconds * 2_000) / 3);
  return { seconds, rate: load.perSecond, keysAfterOneWindow: afterOneWindow.keys, keysAtEnd: Math.max(...lastThird.map((s) => s.keys)),
    longestPassMs: Math.max(...duringLoad.map((s) => s.passMs)),
  };
}
