import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

/** The production server of a build (`<build folder>/server.mjs`), with its memory watched. Used by the bench and the fault tests. */
export interface RunningServer {
  url: string;
  /** Ends the server at once, as a crash would (SIGKILL: no graceful shutdown). */
  kill(): Promise<void>;
  /** Peak resident memory of the server's process tree so far, in bytes. */
  peakRss(): number;
  resetPeak(): void;
  stop(): Promise<void>;
}

/** As `npm start` runs it (package.json): a capped heap keeps the process small; V8 collects sooner instead of growing. */
const SERVER_NODE_FLAGS = ["--max-old-space-size=256"];

function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === pid) children.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return children;
}

function treeRss(pid: number): number {
  let total = 0;
  const pending = [pid];
  while (pending.length) {
    const current = pending.pop()!;
    try {
      const match = readFileSync(`/proc/${current}/status`, "utf8").match(/VmRSS:\s+(\d+) kB/);
      if (match) total += Number(match[1]) * 1024;
    } catch {
      continue;
    }
    pending.push(...childrenOf(current));
  }
  return total;
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not become healthy`);
}

export async function startServer(port: number, env: Record<string, string>): Promise<RunningServer> {
  const distDir = env.NEXT_DIST_DIR ?? process.env.NEXT_DIST_DIR ?? ".next";
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, `${distDir}/server.mjs`], {
    env: { ...process.env, ...env, NODE_ENV: "production", HOSTNAME: "127.0.0.1", PORT: String(port) },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  await waitForHealth(url, child);
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, treeRss(child.pid!))), 200);
  return {
    url,
    peakRss: () => peak,
    resetPeak: () => (peak = 0),
    async stop() {
      clearInterval(sampler);
      child.kill("SIGTERM");
      await exited;
    },
    async kill() {
      clearInterval(sampler);
      child.kill("SIGKILL");
      await exited;
    },
  };
}
