import { describe, expect, it } from "vitest";
import { getBillingView } from "@/lib/billing-view";
import { authorizeAi, settleAi } from "@/lib/metering/ai-holds";
import { expireDueCredits, grantCredits, liveCreditGrants, soonestExpiringCredits } from "@/lib/metering/credit-grants";
import type { GrantSource } from "@/lib/metering/credits";
import { rejection } from "../support/rejection";
import { createOrg, ledgerMismatches, onServer, testStore } from "../support/store";

/**
 * Credit grants with their own expiry (lib/metering/credit-grants.ts): the
 * order AI spend draws them in, their expiry through a ledger row at the
 * expiry instant, and the balance staying the ledger's sum (and the sum of
 * what is left of the grants) under holds and races.
 */

const NOW = new Date("2026-03-20T12:00:00Z");
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** claude-opus-4-1 output is $75/M tokens: 10,000 tokens cost $0.75. */
const U = 750_000;
const opus = (units: number) => ({ feature: "chat", model: "claude-opus-4-1", inputTokens: 0, maxOutputTokens: units * 10_000 }) as const;
const at = (ms: number) => new Date(NOW.getTime() + ms);

/** An org whose AI pool is zero, so that every AI dollar comes from credits. */
async function creditsOnlyOrg() {
  return createOrg({ overrides: { ai_budget: 0 }, members: [{}] });
}

async function grant(orgId: string, reference: string, amountMicros: number, options: { expiresAt?: Date | null; now?: Date; source?: GrantSource } = {}) {
  const { prisma } = await testStore();
  return prisma.$transaction((tx) => grantCredits(tx, { orgId, source: options.source ?? "purchase", amountMicros, reference, expiresAt: options.expiresAt, now: options.now ?? NOW }));
}

/** The account, the ledger's sum and what is left of the grants, which must all agree. */
async function credits(orgId: string) {
  const { sql } = await testStore();
  const [row] = await sql.query<{ balance: string; held: string; ledger: string; remaining: string }>(
    `SELECT coalesce((SELECT balance_micros FROM credit_accounts WHERE org_id = $1), 0)::text AS balance,
            coalesce((SELECT held_micros FROM credit_accounts WHERE org_id = $1), 0)::text AS held,
            (SELECT coalesce(sum(amount_micros), 0) FROM credit_ledger WHERE org_id = $1)::text AS ledger,
            (SELECT coalesce(sum(remaining_micros), 0) FROM credit_grants WHERE org_id = $1)::text AS remaining`,
    [orgId],
  );
  return { balance: Number(row.balance), held: Number(row.held), ledger: Number(row.ledger), remaining: Number(row.remaining) };
}

async function remainingByReference(orgId: string) {
  const { sql } = await testStore();
  const rows = await sql.query<{ reference: string; remaining: string }>(
    `SELECT reference, remaining_micros::text AS remaining FROM credit_grants WHERE org_id = $1 ORDER BY reference`, [orgId]);
  return Object.fromEntries(rows.map((r) => [r.reference, Number(r.remaining)]));
}

async function expiryRows(orgId: string) {
  const { sql } = await testStore();
  return sql.query<{ amount: string; reference: string; created_at: Date }>(
    `SELECT amount_micros::text AS amount, reference, created_at FROM credit_ledger WHERE org_id = $1 AND kind = 'expiry' ORDER BY id`, [orgId]);
}

describe("credit grants", () => {
  it("draws the soonest-expiring grant first, then the grants that never expire, oldest first", async () => {
    const { orgId, sql, members } = await creditsOnlyOrg();
    await grant(orgId, "a_never_oldest", 2 * U, { now: at(-10 * DAY) });
    await grant(orgId, "b_expires_30d", 2 * U, { now: at(-9 * DAY), expiresAt: at(30 * DAY) });
    await grant(orgId, "c_expires_10d", 2 * U, { now: at(-8 * DAY), expiresAt: at(10 * DAY) });
    await grant(orgId, "d_never_newer", 2 * U, { now: at(-7 * DAY) });
    expect((await liveCreditGrants((await testStore()).prisma, orgId, NOW)).map((g) => g.expiresAt?.toISOString() ?? null))
      .toEqual([at(10 * DAY).toISOString(), at(30 * DAY).toISOString(), null, null]);
    expect(await soonestExpiringCredits((await testStore()).prisma, orgId, NOW)).toEqual({ amountMicros: 2 * U, expiresAt: at(10 * DAY) });

    const { authorizationId } = await authorizeAi(sql, { orgId, userId: members[0], ...opus(5) }, NOW);
    const settled = await settleAi(sql, { orgId, authorizationId, inputTokens: 0, outputTokens: 50_000 }, undefined, NOW);
    expect(settled.creditMicros).toBe(5 * U);
    expect(await remainingByReference(orgId)).toEqual({ a_never_oldest: U, b_expires_30d: 0, c_expires_10d: 0, d_never_newer: 2 * U });
    expect(await credits(orgId)).toEqual({ balance: 3 * U, held: 0, ledger: 3 * U, remaining: 3 * U });
    // Both expiring grants are spent: nothing is about to expire.
    expect(await soonestExpiringCredits((await testStore()).prisma, orgId, NOW)).toBeNull();
    expect(await ledgerMismatches(orgId)).toEqual([]);
  });

  it("sums the grants that expire at the same soonest instant, and ignores those already past it", async () => {
    const { orgId, db } = await creditsOnlyOrg();
    await grant(orgId, "past", U, { now: at(-2 * DAY), expiresAt: at(-DAY) });
    await grant(orgId, "first", 2 * U, { expiresAt: at(5 * DAY) });
    await grant(orgId, "second", U, { expiresAt: at(5 * DAY) });
    await grant(orgId, "later", U, { expiresAt: at(6 * DAY) });
    expect(await soonestExpiringCredits(db, orgId, NOW)).toEqual({ amountMicros: 3 * U, expiresAt: at(5 * DAY) });
  });

  it("refuses a grant whose expiry is not after its time, and grants a reference once", async () => {
    const { orgId } = await creditsOnlyOrg();
    await expect(grant(orgId, "stale", U, { expiresAt: NOW })).rejects.toThrow(/expires at/);
    expect(await grant(orgId, "once", U, { expiresAt: at(DAY) })).toBe(true);
    expect(await grant(orgId, "once", U, { expiresAt: at(DAY) })).toBe(false);
    expect(await credits(orgId)).toEqual({ balance: U, held: 0, ledger: U, remaining: U });
  });

  it("the sweep takes what is left of an expired grant out of the balance through a ledger row dated at its expiry, once", async () => {
    const { orgId, sql, members } = await creditsOnlyOrg();
    const expiresAt = at(DAY);
    await grant(orgId, "promo", 4 * U, { expiresAt, source: "promotional" });
    await grant(orgId, "bought", 2 * U);
    const { authorizationId } = await authorizeAi(sql, { orgId, userId: members[0], ...opus(1) }, NOW);
    await settleAi(sql, { orgId, authorizationId, inputTokens: 0, outputTokens: 10_000 }, undefined, NOW);
    expect(await remainingByReference(orgId)).toEqual({ promo: 3 * U, bought: 2 * U });

    await expireDueCredits(sql, at(DAY - 1));
    expect(await expiryRows(orgId)).toEqual([]);
    const swept = await expireDueCredits(sql, at(DAY + 60_000));
    expect(swept.expiredMicros).toBeGreaterThanOrEqual(3 * U); // other tests' orgs may be swept too
    expect(await expiryRows(orgId)).toEqual([{ amount: String(-3 * U), reference: "expiry:promo", created_at: expiresAt }]);
    expect(await credits(orgId)).toEqual({ balance: 2 * U, held: 0, ledger: 2 * U, remaining: 2 * U });
    await expireDueCredits(sql, at(DAY + 120_000));
    expect(await expiryRows(orgId)).toHaveLength(1);
    expect(await liveCreditGrants((await testStore()).prisma, orgId, at(DAY + 120_000))).toMatchObject([{ remainingMicros: 2 * U, expiresAt: null }]);
  });

  it("an authorize after the expiry expires the grant itself before deciding on the balance", async () => {
    const { orgId, sql, members } = await creditsOnlyOrg();
    await grant(orgId, "short", 2 * U, { expiresAt: at(HOUR) });
    const error = await rejection(authorizeAi(sql, { orgId, userId: members[0], ...opus(1) }, at(2 * HOUR)));
    expect(error.code).toBe("ai_budget_exhausted");
    expect(await expiryRows(orgId)).toEqual([{ amount: String(-2 * U), reference: "expiry:short", created_at: at(HOUR) }]);
    expect(await credits(orgId)).toEqual({ balance: 0, held: 0, ledger: 0, remaining: 0 });
  });

  it("a hold that reserved credits from a grant that then expires settles on the credits still there, the pool recording the rest", async () => {
    const { orgId, sql, members } = await creditsOnlyOrg();
    await grant(orgId, "expiring", 4 * U, { expiresAt: at(HOUR) });
    await grant(orgId, "lasting", U);
    // Authorized while the expiring grant was live: it reserves $1.50 of the balance ($3.75).
    const { authorizationId } = await authorizeAi(sql, { orgId, userId: members[0], ...opus(2) }, at(HOUR - 60_000));
    expect(await credits(orgId)).toMatchObject({ balance: 5 * U, held: 2 * U });

    await expireDueCredits(sql, at(HOUR + 60_000));
    // The whole remainder left, reserved or not; the reservation now exceeds the balance, so nothing more is authorized on credits.
    expect(await credits(orgId)).toEqual({ balance: U, held: 2 * U, ledger: U, remaining: U });
    expect((await rejection(authorizeAi(sql, { orgId, userId: members[0], ...opus(1) }, at(HOUR + 60_000)))).code).toBe("ai_budget_exhausted");

    const settled = await settleAi(sql, { orgId, authorizationId, inputTokens: 0, outputTokens: 20_000 }, undefined, at(HOUR + 120_000));
    expect(settled).toMatchObject({ costMicros: 2 * U, creditMicros: U });
    expect(await credits(orgId)).toEqual({ balance: 0, held: 0, ledger: 0, remaining: 0 });
    expect(await expiryRows(orgId)).toHaveLength(1);
    const [pool] = await sql.query<{ used: string }>(`SELECT used::text FROM usage_counters WHERE org_id = $1 AND user_id = '' AND metric = 'ai_budget'`, [orgId]);
    expect(Number(pool.used)).toBe(U);
    expect(await ledgerMismatches(orgId)).toEqual([]);
  });

  it("a negative adjustment draws from the grants in the same order, and fails whole when they cannot cover it", async () => {
    const { orgId, db } = await creditsOnlyOrg();
    const { postCredit } = await import("@/lib/metering/credits");
    await grant(orgId, "never", 2 * U, { now: at(-DAY) });
    await grant(orgId, "soon", 2 * U, { expiresAt: at(DAY) });
    await db.$transaction((tx) => postCredit(tx, orgId, "adjustment", -3 * U, "support:correction", { now: NOW }));
    expect(await remainingByReference(orgId)).toEqual({ never: U, soon: 0 });
    await expect(db.$transaction((tx) => postCredit(tx, orgId, "adjustment", -2 * U, "support:too_much", { now: NOW }))).rejects.toThrow(/short/);
    expect(await credits(orgId)).toEqual({ balance: U, held: 0, ledger: U, remaining: U });
  });

  it("Settings > Billing lists the live grants with what is left and their expiry, to dollar viewers only", async () => {
    const { orgId, db } = await creditsOnlyOrg();
    await grant(orgId, "cs_bought", 20_000_000, { now: at(-DAY) });
    await grant(orgId, "promo", 5_000_000, { expiresAt: new Date("2026-03-31T23:59:59.999Z"), source: "promotional" });
    await grant(orgId, "gone", 1_000_000, { now: at(-2 * DAY), expiresAt: at(-DAY) });
    const admin = await getBillingView(db, orgId, "admin", NOW);
    expect(admin.creditGrants).toEqual([
      { id: expect.any(String), source: "Promotional", granted: "$5.00", remaining: "$5.00", expires: "Mar 31, 2026" },
      { id: expect.any(String), source: "Purchase", granted: "$20.00", remaining: "$20.00", expires: null },
    ]);
    for (const role of ["user", "manager"] as const) {
      // Plans' list prices are public; nothing else in the view may carry a dollar figure.
      const { plan: _plan, ...view } = await getBillingView(db, orgId, role, NOW);
      expect(view.creditGrants).toBeNull();
      expect(JSON.stringify(view)).not.toMatch(/\$\d|micros/i);
    }
  });
});

describe.skipIf(!onServer)("credit expiry under concurrency (needs DATABASE_URL: PGlite is one connection)", () => {
  it("an expiry racing settles, before and after it, and other sweeps expires the grant once and keeps every sum exact", async () => {
    const { orgId, sql, members } = await creditsOnlyOrg();
    const expiresAt = at(HOUR);
    await grant(orgId, "expiring", 8 * U, { expiresAt });
    await grant(orgId, "lasting", 40 * U);
    const holds = [];
    for (let i = 0; i < 24; i++) holds.push((await authorizeAi(sql, { orgId, userId: members[0], ...opus(1) }, at(HOUR - 60_000))).authorizationId);
    expect(await credits(orgId)).toMatchObject({ held: 24 * U });

    const settles = holds.map((authorizationId, i) =>
      settleAi(sql, { orgId, authorizationId, inputTokens: 0, outputTokens: 10_000 }, undefined, at(HOUR + (i % 2 ? 1_000 : -1_000))));
    const sweeps = Array.from({ length: 6 }, () => expireDueCredits(sql, at(HOUR + 2_000)));
    const [settled] = await Promise.all([Promise.all(settles), Promise.all(sweeps)]);

    // Every settle found credits enough: $36 were left after the most the expiry could take ($6).
    expect(settled.every((s) => s.creditMicros === U)).toBe(true);
    const expired = await expiryRows(orgId);
    expect(expired).toHaveLength(1);
    expect(expired[0]).toMatchObject({ reference: "expiry:expiring", created_at: expiresAt });
    const left = await credits(orgId);
    // What was granted = what was drawn + what expired + what is left.
    expect(48 * U).toBe(24 * U - Number(expired[0].amount) + left.balance);
    expect(left).toEqual({ balance: left.ledger, held: 0, ledger: left.ledger, remaining: left.ledger });
    expect((await remainingByReference(orgId)).expiring).toBe(0);
    expect(await ledgerMismatches(orgId)).toEqual([]);
  });
});
