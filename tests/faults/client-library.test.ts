import { describe, expect, it } from "vitest";
import { createLedgerline, LedgerlineLimitError, type UsageDecision } from "@/packages/client/src/index";
import { ledgerMismatches, onServer, testStore } from "../support/store";
import { faultOrg, sleep, startApp } from "./harness";
import { startTcpProxy } from "./tcp-proxy";

/**
 * The client library against the production build (`npm run build`, then server.ts) on the real
 * Postgres: its retries ride out a store outage (503 with Retry-After) on one idempotency key,
 * withAiBudget settles what the call used and releases the hold of a call that throws, a 429 is
 * a typed error, and /metrics counts what the client did.
 */
describe.skipIf(!onServer)("the client library against the production server (needs DATABASE_URL)", () => {
  it("rides out a store outage on one key, and what it did is exact and counted", async () => {
    const direct = new URL(process.env.DATABASE_URL!);
    const proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
    const viaProxy = new URL(direct);
    viaProxy.port = String(proxy.port);
    const org = await faultOrg();
    const token = "metrics-token-of-at-least-32-characters";
    const app = await startApp(viaProxy.toString(), { DATABASE_STATEMENT_TIMEOUT_MS: "2000", METRICS_TOKEN: token });
    try {
      const client = createLedgerline({ baseUrl: app.url, apiKey: org.key, retries: 6, timeoutMs: 5_000 });
      expect(await client.consume({ metric: "emails_sent", quantity: 2 })).toMatchObject({ allowed: true, used: 2 });

      proxy.cut();
      const during = client.consume({ metric: "emails_sent", quantity: 3, idempotencyKey: "through-the-outage" });
      await sleep(2_500);
      proxy.restore();
      expect((await during) as UsageDecision).toMatchObject({ allowed: true, used: 5 });

      const { result, settlement } = await client.withAiBudget(
        { userId: org.members[0], feature: "summary", model: "gpt-4.1-nano", inputTokens: 10_000, maxOutputTokens: 1_000 },
        async () => ({ result: "summarised", outputTokens: 500 }),
      );
      expect(result).toBe("summarised");
      expect(settlement).toMatchObject({ tier: "light", costMicros: 1_000 + 200 });
      const failure = new Error("the model failed");
      await expect(client.withAiBudget(
        { userId: org.members[0], feature: "chat", model: "gpt-4.1-nano", inputTokens: 10, maxOutputTokens: 10 },
        async () => Promise.reject(failure),
      )).rejects.toBe(failure);
      await expect(client.consume({ metric: "emails_sent", quantity: 1e12 })).rejects.toBeInstanceOf(LedgerlineLimitError);

      const { sql } = await testStore();
      const rows = await sql.query<{ idempotency_key: string }>(`SELECT idempotency_key FROM usage_ledger WHERE org_id = $1 AND metric = 'emails_sent'`, [org.orgId]);
      expect(rows).toHaveLength(2);
      expect(rows.map((r) => r.idempotency_key)).toContain("through-the-outage");
      expect(await ledgerMismatches(org.orgId)).toEqual([]);
      const holds = await sql.query<{ status: string }>(`SELECT status FROM ai_authorizations WHERE org_id = $1 ORDER BY created_at`, [org.orgId]);
      expect(holds.map((h) => h.status)).toEqual(["settled", "released"]);

      const scraped = await (await fetch(`${app.url}/metrics`, { headers: { authorization: `Bearer ${token}` } })).text();
      expect(scraped).toMatch(/^ledgerline_decisions_total\{route="consume",metric="emails_sent",outcome="admitted"\} 2$/m);
      expect(scraped).toMatch(/^ledgerline_decisions_total\{route="consume",metric="emails_sent",outcome="denied"\} 1$/m);
      expect(scraped).toMatch(/^ledgerline_decisions_total\{route="ai_settle",metric="ai_budget",outcome="admitted"\} 1$/m);
      expect(scraped).toMatch(/^ledgerline_decisions_total\{route="ai_release",metric="ai_budget",outcome="admitted"\} 1$/m);
    } finally {
      await app.stop();
      await proxy.close();
    }
  }, 120_000);
});
