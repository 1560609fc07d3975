import { spawn } from "node:child_process";
import { Redis } from "ioredis";

/** Starts the Redis Lua peer (redis-peer-server.ts) in its own process, as the app server runs in its own. */
export async function startRedisPeer(port: number, redisUrl: string) {
  const redis = new Redis(redisUrl);
  // Every run starts from a full allowance.
  const stale = await redis.keys("ledgerline-bench-peer:*");
  if (stale.length) await redis.del(...stale);
  redis.disconnect();
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/bench/redis-peer-server.ts"], {
    env: { ...process.env, PORT: String(port), REDIS_URL: redisUrl },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    const up = await fetch(url, { method: "POST", body: JSON.stringify({ key: "warm", quantity: 0 }) }).then(() => true, () => false);
    if (up) return { url, stop: () => void child.kill("SIGTERM") };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill("SIGKILL");
  throw new Error("The Redis peer did not start.");
}
