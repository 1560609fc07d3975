/**
 * `npm run test:citus`: the integration tests on a fresh distributed database
 * on the Citus cluster at CITUS_URL (the coordinator's maintenance database,
 * its workers added; `scripts/citus-cluster.sh start` makes one from an
 * installed Citus). Exits 0 with a clear word when no cluster answers, so CI
 * can run it unconditionally.
 */
import { spawnSync } from "node:child_process";
import { clusterAnswers } from "@/lib/db/citus/cluster-database";

const url = process.env.CITUS_URL;
if (!url || !(await clusterAnswers(url))) {
  console.log(`SKIPPED the Citus suite: ${url ? `no Citus coordinator with workers answers at ${url}` : "CITUS_URL is not set"}.`);
  process.exit(0);
}
const run = spawnSync("npx", ["vitest", "run", "tests/integration", ...process.argv.slice(2)], {
  stdio: "inherit",
  env: { ...process.env, DATABASE_URL: url, LEDGERLINE_TEST_CITUS: "1" },
});
process.exit(run.status ?? 1);
