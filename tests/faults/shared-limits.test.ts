import { randomUUID } from "node:crypto";
import { Agent, request } from "node:http";
import { describe, expect, it } from "vitest";
import { onServer } from "../support/store";
import { faultOrg, startApp } from "./harness";

/** Two production servers on one database and one Redis count an address's bad keys together. */
describe.skipIf(!onServer || !process.env.REDIS_URL)("abuse limits across two app instances (needs DATABASE_URL and REDIS_URL)", () => {
  it("blocks an address on both instances after 30 bad keys spread over them, and no other address", async () => {
    const org = await faultOrg();
    const apps = [await startApp(process.env.DATABASE_URL!), await startApp(process.env.DATABASE_URL!)];
    const agents = new Map<string, Agent>();
    const consume = (url: string, from: string, key: string) =>
      new Promise<number>((resolve, reject) => {
        if (!agents.has(from)) agents.set(from, new Agent({ keepAlive: true, localAddress: from }));
        const req = request(`${url}/api/v1/usage/consume`, { method: "POST", agent: agents.get(from), headers: { "content-type": "application/json", authorization: `Bearer ${key}` } }, (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode ?? 0));
        });
        req.on("error", reject);
        req.end(JSON.stringify({ metric: "api_calls", quantity: 1, idempotencyKey: randomUUID() }));
      });
    try {
      for (let i = 0; i < 30; i++) expect(await consume(apps[i % 2].url, "127.0.0.6", `ll_live_guess_${i}`)).toBe(401);
      // Each instance saw 15 failures: only together do they reach the limit.
      for (const app of apps) expect(await consume(app.url, "127.0.0.6", org.key)).toBe(429);
      for (const app of apps) expect(await consume(app.url, "127.0.0.7", org.key)).toBe(200);
    } finally {
      for (const agent of agents.values()) agent.destroy();
      await Promise.all(apps.map((app) => app.stop()));
    }
  });
});
