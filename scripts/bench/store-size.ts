import type { SqlExecutor } from "@/lib/db/sql-executor";
import { purgeExpiredKeys } from "@/lib/metering/idempotency-purge";
import { consumeBody, httpLoad } from "./load";

/** What every admitted event adds to: the ledger and the idempotency keys, tables, indexes and TOAST, after VACUUM. */
export async function eventBytes(sql: SqlExecutor) {
  await sql.exec("VACUUM usage_ledger, idempotency_keys");
  const [row] = await sql.query<{ bytes: string }>(
    `SELECT (pg_total_relation_size('usage_ledger') + pg_total_relation_size('idempotency_keys'))::text AS bytes`,
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
 * of the load. Bounded means the second is not above the first by more than
 * the purge's lag.
 */
export async function steadyKeys(sql: SqlExecutor, { url, seconds, windowSeconds, orgs }: { url: string; seconds: number; windowSeconds: number; orgs: string[] }) {
  // The earlier loads' keys go first, so that the count is of this load's alone.
  while ((await purgeExpiredKeys(sql, { olderThan: new Date(), maxBatches: 100 })) > 0);
  let running = true;
  const samples: { at: number; keys: number }[] = [];
  const started = Date.now();
  const purging = (async () => {
    while (running) {
      await purgeExpiredKeys(sql, { olderThan: new Date(Date.now() - windowSeconds * 1_000) });
      samples.push({ at: Date.now() - started, keys: await keyCount(sql) });
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  })();
  const load = await httpLoad({ url, path: "/api/v1/usage/consume", method: "POST", connections: 64, seconds, orgs, body: consumeBody });
  running = false;
  await purging;
  const duringLoad = samples.filter((s) => s.at <= seconds * 1_000);
  const afterOneWindow = duringLoad.find((s) => s.at >= (windowSeconds + 1) * 1_000) ?? duringLoad[0];
  const lastThird = duringLoad.filter((s) => s.at >= (seconds * 2_000) / 3);
  return { seconds, rate: load.perSecond, keysAfterOneWindow: afterOneWindow.keys, keysAtEnd: Math.max(...lastThird.map((s) => s.keys)) };
}
