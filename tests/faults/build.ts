import { execSync } from "node:child_process";
import { existsSync } from "node:fs";
import { DIST_DIR } from "./harness";

/** Vitest global setup: one production build per fault run (FAULTS_SKIP_BUILD=1 reuses the last one). */
export default function build() {
  if (process.env.FAULTS_SKIP_BUILD && existsSync(`${DIST_DIR}/BUILD_ID`)) return;
  execSync("npm run build", { stdio: "inherit", env: { ...process.env, NEXT_DIST_DIR: DIST_DIR } });
}
