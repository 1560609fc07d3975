import pg from "pg";

/**
 * A new database on a running Citus cluster, ready to distribute: created on
 * every node (Citus propagates CREATE DATABASE when asked to), the citus
 * extension created in it on every node (Citus never propagates that), and
 * the coordinator and workers registered in it, since Citus keeps a node list
 * per database. `coordinatorUrl` names the coordinator's maintenance
 * database; its workers must already be added there.
 */
export async function createClusterDatabase(coordinatorUrl: string, name: string): Promise<string> {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`Unsafe database name ${name}`);
  const coordinator = new URL(coordinatorUrl);
  const workers = await withClient(coordinatorUrl, async (client) => {
    await client.query(`SET citus.enable_create_database_propagation = on`);
    await client.query(`CREATE DATABASE ${name}`);
    return (await client.query<{ node_name: string; node_port: number }>(`SELECT node_name, node_port FROM citus_get_active_worker_nodes() ORDER BY node_port`)).rows;
  });
  const at = (host: string, port: number | string) => {
    const url = new URL(coordinatorUrl);
    url.hostname = host;
    url.port = String(port);
    url.pathname = `/${name}`;
    return url.toString();
  };
  for (const worker of workers) await withClient(at(worker.node_name, worker.node_port), (client) => client.query(`CREATE EXTENSION IF NOT EXISTS citus`));
  const databaseUrl = at(coordinator.hostname, coordinator.port || 5432);
  await withClient(databaseUrl, async (client) => {
    await client.query(`CREATE EXTENSION IF NOT EXISTS citus`);
    await client.query(`SELECT citus_set_coordinator_host($1, $2)`, [coordinator.hostname, Number(coordinator.port || 5432)]);
    for (const worker of workers) await client.query(`SELECT citus_add_node($1, $2)`, [worker.node_name, worker.node_port]);
  });
  return databaseUrl;
}

/** Drops the database from every node. */
export async function dropClusterDatabase(coordinatorUrl: string, name: string) {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`Unsafe database name ${name}`);
  await withClient(coordinatorUrl, async (client) => {
    await client.query(`SET citus.enable_create_database_propagation = on`);
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });
}

/** Whether a Citus coordinator answers at `url`, with at least one worker. */
export async function clusterAnswers(url: string): Promise<boolean> {
  try {
    return await withClient(url, async (client) => {
      const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM citus_get_active_worker_nodes()`);
      return rows[0].n > 0;
    });
  } catch {
    return false;
  }
}

async function withClient<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}
