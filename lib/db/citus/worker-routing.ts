import { LRUCache } from "lru-cache";
import pg from "pg";
import { hasCitus } from "./distribution";
import { logger } from "@/lib/observability/log";

/**
 * With CITUS_ROUTING=workers, the enforcement calls of an org go straight to
 * the Citus worker that holds it, instead of through the coordinator: one
 * network hop and one planner fewer per decision (measured on the bench
 * machine, a lone consume call ran about twice as fast on the worker itself).
 * Any node of a Citus cluster can run any statement, so a placement this
 * process remembers wrongly (after a rebalance) only costs a hop, never a
 * wrong answer. The org -> worker map is asked of the coordinator once per org
 * and remembered, bounded.
 */
/** The node (name, port) that holds the org given as $1. */
export const ORG_WORKER = `SELECT nodename, nodeport FROM pg_dist_shard_placement WHERE shardid = get_shard_id_for_distribution_column('orgs', $1::text) LIMIT 1`;

export interface WorkerRouter {
  /** The pool of the worker that holds `orgId`, or null to use the coordinator. */
  poolFor(orgId: string): Promise<pg.Pool | null>;
  close(): Promise<void>;
}

export function createWorkerRouter(coordinator: pg.Pool, settings: { url: string; poolSize: number; poolConfig: pg.PoolConfig }): WorkerRouter {
  const placements = new LRUCache<string, string>({ max: 100_000 });
  const pools = new Map<string, pg.Pool>();
  let distributed: Promise<boolean> | undefined;

  const isDistributed = () =>
    (distributed ??= hasCitus({ query: async <T>(text: string) => (await coordinator.query(text)).rows as T[] }).catch((error) => {
      distributed = undefined;
      throw error;
    }));

  const poolAt = (node: string) => {
    let pool = pools.get(node);
    if (!pool) {
      const [host, port] = node.split(":");
      const url = new URL(settings.url);
      url.hostname = host;
      url.port = port;
      pool = new pg.Pool({ ...settings.poolConfig, connectionString: url.toString(), max: settings.poolSize });
      pool.on("error", (error) => logger().warn({ err: error, node }, "Postgres connection to a worker lost"));
      pools.set(node, pool);
    }
    return pool;
  };

  return {
    async poolFor(orgId) {
      if (!(await isDistributed())) return null;
      let node = placements.get(orgId);
      if (!node) {
        const { rows } = await coordinator.query<{ nodename: string; nodeport: number }>(ORG_WORKER, [orgId]);
        if (!rows.length) return null;
        node = `${rows[0].nodename}:${rows[0].nodeport}`;
        placements.set(orgId, node);
      }
      return poolAt(node);
    },
    async close() {
      await Promise.all([...pools.values()].map((pool) => pool.end().catch(() => {})));
    },
  };
}
