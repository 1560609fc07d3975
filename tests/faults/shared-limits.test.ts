import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { onServer } from "../support/store";
import { clientAt, faultOrg, startApp } from "./harness";

/** Two production servers on one database and one Redis count an address's bad keys together. */
describe.skipIf(!onServer || !process.env.REDIS_URL)("abuse limits across two app instances (needs DATABASE_URL and REDIS_URL)", () => {
  it("blocks an address on both instances after 30 bad keys spread over them, and no other address", async () => {
    const org = await faultOrg();
    const apps = [await startApp(process.env.DATABASE_URL!), await startApp(process.env.DATABASE_URL!)];
    const clients = new Map<string, ReturnType<typeof clientAt>>();
    const consume = async (url: string, from: string, key: string) => {
      const name = `${from} ${url}`;
      if (!clients.has(name)) clients.set(name, clientAt(from, url));
      const client = clients.get(name)!;
      const body = JSON.stringify({ metric: "api_calls", quantity: 1, idempotencyKey: randomUUID() });
      return (await client.send("/api/v1/usage/consume", { "content-type": "application/json", authorization: `Bearer ${key}` }, body)).status;
    };
    try {
      for (let i = 0; i < 30; i++) expect(await consume(apps[i % 2].url, "127.0.0.6", `ll_live_guess_${i}`)).toBe(401);
      // Each instance saw 15 failures: only together do they reach the limit.
      for (const app of apps) expect(await consume(app.url, "127.0.0.6", org.key)).toBe(429);
      for (const app of apps) expect(await consume(app.url, "127.0.0.7", org.key)).toBe(200);
    } finally {
      for (const client of clients.values()) client.close();
      await Promise.all(apps.map((app) => app.stop()));
    }
  });
});
