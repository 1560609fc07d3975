import { randomUUID } from "node:crypto";
import type { ClientRequest } from "node:http";
import { describe, expect, it } from "vitest";
import { MAX_COUNTER } from "@/lib/limits/cap-policy";
import { ledgerMismatches, onServer, testStore } from "../support/store";
import { clientAt, faultOrg, sleep, startApp, type Answer } from "./harness";

/**
 * One tenant attacks for 60 s while another works. The attacker, from its own
 * address, sends everything the review found could hurt others: bad keys with
 * rotating X-Forwarded-For, batches of 1,000 events naming distinct unknown
 * 200-character user ids, ids with NUL characters, quantities that would
 * overflow a counter, and endless bodies to the API (in unusual spellings of
 * its paths) and to the Stripe webhook. The victim's valid consumes must keep
 * answering 200, the server's memory must stay flat, and every counter must
 * equal its ledger afterwards.
 */
const SOAK_MS = Number(process.env.FAULTS_SOAK_MS ?? 60_000);

/** Sends 64 KiB chunks for as long as the server reads them, and never ends the body. */
function endlessly(req: ClientRequest) {
  const chunk = Buffer.alloc(64 * 1024, "x");
  const pump = () => {
    while (!req.destroyed) if (!req.write(chunk)) return void req.once("drain", pump);
  };
  pump();
}

const json = (key: string) => ({ "content-type": "application/json", authorization: `Bearer ${key}` });

function percentile(values: number[], p: number) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

describe.skipIf(!onServer)("a hostile tenant (needs DATABASE_URL)", () => {
  it("keeps another org's valid consumes answering 200, memory flat and counters equal to the ledger", async () => {
    const victim = await faultOrg();
    const attacker = await faultOrg();
    const app = await startApp(process.env.DATABASE_URL!);
    const good = clientAt("127.0.0.3", app.url);
    const evil = clientAt("127.0.0.2", app.url);
    // The key guesser has an address of its own: its block must not reach the victim, nor the attacker's valid-key traffic.
    const guesser = clientAt("127.0.0.4", app.url);
    const deadline = Date.now() + SOAK_MS;
    const running = () => Date.now() < deadline;
    const victimAnswers: Answer[] = [];
    const attackAnswers = new Map<string, (number | "network_error")[]>();
    const note = (attack: string, answer: Answer) => attackAnswers.set(attack, [...(attackAnswers.get(attack) ?? []), answer.status]);

    try {
      // The attacker's contacts counter starts near the top, so its overflow attempts meet the bound within the soak.
      await evil.send("/api/v1/usage/consume", json(attacker.key), JSON.stringify({ metric: "contacts", quantity: 1, idempotencyKey: randomUUID() }));
      const { sql } = await testStore();
      const nearTop = MAX_COUNTER - 5 * 1_000_000_000_000_000;
      await sql.query(`UPDATE usage_counters SET used = $2 WHERE org_id = $1 AND metric = 'contacts'`, [attacker.orgId, nearTop]);
      await sql.query(`UPDATE usage_ledger SET quantity = $2 WHERE org_id = $1 AND metric = 'contacts'`, [attacker.orgId, nearTop]);

      // Warm the server up, then take its memory as the baseline.
      for (let i = 0; i < 200; i++) {
        await good.send("/api/v1/usage/consume", json(victim.key), JSON.stringify({ metric: "api_calls", quantity: 1, idempotencyKey: randomUUID() }));
      }
      await sleep(1_000);
      app.resetPeak();
      await sleep(500);
      const rssBefore = app.peakRss();

      const victimLoad = Promise.all(Array.from({ length: 4 }, async () => {
        while (running()) {
          const answer = await good.send("/api/v1/usage/consume", json(victim.key), JSON.stringify({ metric: "api_calls", quantity: 1, idempotencyKey: randomUUID() }));
          victimAnswers.push(answer);
        }
      }));

      const attacks: Record<string, () => Promise<Answer>> = {
        "bad keys, rotating X-Forwarded-For": () =>
          guesser.send("/api/v1/usage/consume", { ...json(`ll_live_${randomUUID()}`), "x-forwarded-for": `203.0.113.${Math.floor(Math.random() * 250)}` }, "{}"),
        "1,000 unknown 200-character user ids": () =>
          evil.send("/api/v1/usage/batch", json(attacker.key), JSON.stringify({
            events: Array.from({ length: 1_000 }, () => ({ metric: "api_calls", quantity: 1, userId: `${randomUUID()}${"u".repeat(164)}`, idempotencyKey: randomUUID() })),
          })),
        "NUL in ids": () =>
          evil.send("/api/v1/usage/consume", json(attacker.key), JSON.stringify({ metric: "enrichments", quantity: 1, userId: "a\u0000b", idempotencyKey: `k\u0000${randomUUID()}` })),
        "counter overflow": () =>
          evil.send("/api/v1/usage/consume", json(attacker.key), JSON.stringify({ metric: "contacts", quantity: 1_000_000_000_000_000, idempotencyKey: randomUUID() })),
        "endless body to /api/v1/usage/./check": () =>
          evil.send("/api/v1/usage/./check", { ...json(attacker.key), "transfer-encoding": "chunked" }, endlessly),
        "endless body to the Stripe webhook": () =>
          evil.send("/api/webhooks/stripe", { "content-type": "application/json", "transfer-encoding": "chunked", "stripe-signature": "t=1,v1=0" }, endlessly),
      };
      const attackLoad = Promise.all(Object.entries(attacks).map(async ([name, attack]) => {
        while (running()) note(name, await attack());
      }));

      await Promise.all([victimLoad, attackLoad]);
      const rssPeak = app.peakRss();
      const health = await fetch(`${app.url}/api/health`);

      const latencies = victimAnswers.map((a) => a.ms);
      const refused = victimAnswers.filter((a) => a.status !== 200);
      const attackSummary = [...attackAnswers].map(([name, statuses]) => {
        const counts = new Map<string, number>();
        for (const s of statuses) counts.set(String(s), (counts.get(String(s)) ?? 0) + 1);
        return `${name}: ${[...counts].map(([s, n]) => `${n}x ${s}`).join(", ")}`;
      });
      console.log(
        `[faults] hostile tenant, ${SOAK_MS / 1000} s: victim ${victimAnswers.length} valid consumes, refused ${refused.length}, ` +
        `p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms; ` +
        `server RSS ${(rssBefore / 2 ** 20).toFixed(0)} MB before, peak ${(rssPeak / 2 ** 20).toFixed(0)} MB during\n` +
        attackSummary.map((line) => `[faults]   ${line}`).join("\n"),
      );

      expect(health.status).toBe(200);
      expect(refused).toEqual([]);
      expect(victimAnswers.length).toBeGreaterThan(SOAK_MS / 100);
      // The attacks got their own answers, never a 500.
      for (const [name, statuses] of attackAnswers) {
        expect(statuses.length, name).toBeGreaterThan(0);
        expect(statuses.filter((s) => s === 500), name).toEqual([]);
      }
      expect(attackAnswers.get("bad keys, rotating X-Forwarded-For")).toContain(429);
      expect(new Set(attackAnswers.get("1,000 unknown 200-character user ids"))).toEqual(new Set([200]));
      expect(new Set(attackAnswers.get("NUL in ids"))).toEqual(new Set([400]));
      expect(new Set(attackAnswers.get("counter overflow"))).toEqual(new Set([200, 422]));
      // Flat: the unbounded cache took this server from 244 MB to its heap limit in about 2.5 minutes.
      expect(rssPeak - rssBefore).toBeLessThan(150 * 2 ** 20);
      expect(await ledgerMismatches(victim.orgId)).toEqual([]);
      expect(await ledgerMismatches(attacker.orgId)).toEqual([]);
    } finally {
      for (const client of [good, evil, guesser]) client.close();
      await app.stop();
    }
  });
});
