/**
 * A peer's way, for the bench: check-and-deduct as an in-memory Redis Lua
 * conditional decrement behind a bare node:http endpoint, so that the same
 * load generator drives it as drives consume. Nothing is durable and nothing
 * is recorded per event: the gap between its rate and consume's is the cost
 * of an exact, durable decision with its ledger row and idempotency key.
 *
 *   PORT=3240 REDIS_URL=redis://127.0.0.1:6379 tsx scripts/bench/redis-peer-server.ts
 */
import { createServer } from "node:http";
import { Redis } from "ioredis";

// Remaining allowance per key, set on first use; a request takes `quantity` only if it fits.
const CHECK_AND_DEDUCT = `
local left = tonumber(redis.call('GET', KEYS[1]) or ARGV[2])
local quantity = tonumber(ARGV[1])
if quantity > left then return -1 end
redis.call('SET', KEYS[1], left - quantity)
return left - quantity`;

const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
redis.defineCommand("checkAndDeduct", { numberOfKeys: 1, lua: CHECK_AND_DEDUCT });
const checkAndDeduct = (key: string, quantity: number, cap: number) =>
  (redis as unknown as { checkAndDeduct(k: string, q: number, c: number): Promise<number> }).checkAndDeduct(key, quantity, cap);

const CAP = 1_000_000_000_000;

createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.on("end", async () => {
    try {
      const { key, quantity } = JSON.parse(Buffer.concat(chunks).toString()) as { key: string; quantity: number };
      const left = await checkAndDeduct(`ledgerline-bench-peer:${key}`, quantity, CAP);
      response.writeHead(left < 0 ? 429 : 200, { "content-type": "application/json" });
      response.end(JSON.stringify({ allowed: left >= 0, remaining: left }));
    } catch (error) {
      response.writeHead(500, { "content-type": "application/json" });
      response.end(JSON.stringify({ error: (error as Error).message }));
    }
  });
}).listen(Number(process.env.PORT), "127.0.0.1", () => console.error(`redis peer listening on ${process.env.PORT}`));
