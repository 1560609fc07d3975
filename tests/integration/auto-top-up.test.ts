import { afterEach, describe, expect, it } from "vitest";
import { readAuditLog } from "@/lib/audit/audit-log";
import { authorizeAi, settleAi } from "@/lib/metering/ai-holds";
import { onTopUpOpened } from "@/lib/metering/top-up-kick";
import { listNotifications } from "@/lib/notifications/notification-list";
import type { SqlExecutor } from "@/lib/db/sql-executor";
import { createOrg, ledgerMismatches, onServer, testStore } from "../support/store";
import { auditTrail } from "../support/stripe-webhook";
import { balance, grant, spend, succeed, topUpScene, topUpsOf, USD } from "../support/top-ups";

/**
 * When a settle opens an automatic top-up (ledgerline_auto_top_up, called by
 * ledgerline_ai_settle under the org's credit account lock): once per crossing
 * of the threshold however many settles race, never while one is outstanding,
 * and refused past the monthly cap with a notification to each admin.
 */

const NOW = new Date("2026-03-20T12:00:00Z");
const MINUTE = 60_000;
const at = (minutes: number) => new Date(NOW.getTime() + minutes * MINUTE);
const ON = { enabled: true, thresholdMicros: 10 * USD, amountMicros: 10 * USD, monthlyCapMicros: 100 * USD };

afterEach(() => onTopUpOpened(null));

describe("the crossing", () => {
  it("opens one pending top-up when a settle takes the balance below the threshold, and tells the sender", async () => {
    const scene = await topUpScene({ credits: 12 * USD, settings: ON, now: NOW });
    const opened: string[] = [];
    onTopUpOpened((orgId) => opened.push(orgId));

    await spend(scene.orgId, scene.user, 1.5 * USD, at(1)); // $10.50: still above
    expect(await topUpsOf(scene.orgId)).toEqual([]);
    await spend(scene.orgId, scene.user, 0.75 * USD, at(2)); // $9.75: crossed
    expect(await topUpsOf(scene.orgId)).toMatchObject([{ status: "pending", amountMicros: 10 * USD, paymentIntentId: null, createdAt: at(2) }]);
    expect(opened).toEqual([scene.orgId]);
    // Further spend below the threshold is no new crossing, and the top-up is still outstanding.
    await spend(scene.orgId, scene.user, 0.75 * USD, at(3));
    expect(await topUpsOf(scene.orgId)).toHaveLength(1);
    expect(opened).toHaveLength(1);
    expect(await balance(scene.orgId)).toBe(9 * USD);
    expect(await ledgerMismatches(scene.orgId)).toEqual([]);
  });

  it("opens nothing while auto top-up is off, for a settle that starts below the threshold, or when the pool pays", async () => {
    const off = await topUpScene({ credits: 12 * USD, settings: { ...ON, enabled: false }, now: NOW });
    await spend(off.orgId, off.user, 3 * USD, at(1));
    expect(await topUpsOf(off.orgId)).toEqual([]);

    const none = await topUpScene({ credits: 12 * USD, settings: null, now: NOW });
    await spend(none.orgId, none.user, 3 * USD, at(1));
    expect(await topUpsOf(none.orgId)).toEqual([]);

    // Turned on while already below: the next settle does not cross, so it buys nothing.
    const below = await topUpScene({ credits: 9 * USD, settings: ON, now: NOW });
    await spend(below.orgId, below.user, 0.75 * USD, at(1));
    expect(await topUpsOf(below.orgId)).toEqual([]);

    // An org whose pool still has room draws no credits: the balance does not move, so no crossing.
    const pooled = await createOrg({ members: [{ role: "admin" }] });
    const { prisma } = await testStore();
    await grant(pooled.orgId, 21 * USD, "test:opening", NOW);
    await prisma.autoTopUpSettings.create({ data: { orgId: pooled.orgId, enabled: true, thresholdMicros: 20.75 * USD, amountMicros: 10 * USD, monthlyCapMicros: 50 * USD } });
    await spend(pooled.orgId, pooled.members[0], 0.75 * USD, at(1));
    expect(await balance(pooled.orgId)).toBe(21 * USD);
    expect(await topUpsOf(pooled.orgId)).toEqual([]);
  });

  it("a second crossing after the first top-up was credited opens a second top-up", async () => {
    const scene = await topUpScene({ credits: 10.75 * USD, settings: ON, now: NOW });
    await spend(scene.orgId, scene.user, 1.5 * USD, at(1)); // $9.25
    const [first] = await topUpsOf(scene.orgId);
    await succeed(scene, first);
    expect(await balance(scene.orgId)).toBe(19.25 * USD);

    await spend(scene.orgId, scene.user, 9 * USD, at(2)); // $10.25: not yet
    expect(await topUpsOf(scene.orgId)).toHaveLength(1);
    await spend(scene.orgId, scene.user, 0.75 * USD, at(3)); // $9.50
    expect((await topUpsOf(scene.orgId)).map((t) => t.status)).toEqual(["succeeded", "pending"]);
    expect(await ledgerMismatches(scene.orgId)).toEqual([]);
  });
});

describe("the monthly cap (UTC calendar month)", () => {
  it("refuses the top-up that would pass the cap, once a month, telling each admin; the next month buys again", async () => {
    const scene = await topUpScene({ credits: 12 * USD, settings: { ...ON, monthlyCapMicros: 25 * USD }, now: NOW });
    await spend(scene.orgId, scene.user, 3 * USD, at(1)); // $9: top-up 1 ($10 of $25)
    await succeed(scene, (await topUpsOf(scene.orgId))[0]); // $19
    await spend(scene.orgId, scene.user, 10.5 * USD, at(2)); // $8.50: top-up 2 ($20 of $25)
    await succeed(scene, (await topUpsOf(scene.orgId))[1]); // $18.50
    await spend(scene.orgId, scene.user, 9 * USD, at(3)); // $9.50: a third would make $30
    expect((await topUpsOf(scene.orgId)).map((t) => t.status)).toEqual(["succeeded", "succeeded", "refused"]);
    const refused = (await topUpsOf(scene.orgId))[2];

    const { prisma: db } = await testStore();
    const told = await db.notification.findMany({ where: { orgId: scene.orgId }, orderBy: { userId: "asc" } });
    expect(told.map((n) => n.userId)).toEqual([scene.superAdmin, scene.admin].sort());
    expect(told.every((n) => String(n.topUpId) === refused.id && n.alertId === null)).toBe(true);
    const [seen] = await listNotifications(db, { orgId: scene.orgId, userId: scene.admin, role: "admin" });
    expect(seen).toMatchObject({ title: "Auto top-up refused: monthly cap reached", unread: true });
    expect(seen.detail).toContain("A top-up of $10.00 was not bought");
    expect((await auditTrail(scene.orgId)).filter((a) => a.action === "auto_top_up_refused")).toMatchObject([
      { actor: "system:auto_top_up", after: { topUpId: refused.id, amountMicros: 10 * USD, boughtThisMonthMicros: 20 * USD, monthlyCapMicros: 25 * USD } },
    ]);

    const { entries } = await readAuditLog(db, scene.orgId);
    expect(entries[0]).toMatchObject({ actor: "Ledgerline (auto top-up)", action: "Auto top-up refused (monthly cap)" });
    expect(entries[0].changes).toEqual(expect.arrayContaining([{ field: "Monthly cap", before: null, after: "$25.00" }, { field: "Bought this month", before: null, after: "$20.00" }]));

    // Another crossing the same month: refused already, so nothing new and nobody told twice.
    await grant(scene.orgId, 5 * USD, "test:by-hand", at(4)); // $14.50
    await spend(scene.orgId, scene.user, 6 * USD, at(5)); // $8.50
    expect(await topUpsOf(scene.orgId)).toHaveLength(3);
    expect(await db.notification.count({ where: { orgId: scene.orgId } })).toBe(2);

    // April: the month's sum starts again.
    const april = new Date("2026-04-02T09:00:00Z");
    await grant(scene.orgId, 5 * USD, "test:by-hand-2", april); // $13.50
    await spend(scene.orgId, scene.user, 6 * USD, april); // $7.50
    expect((await topUpsOf(scene.orgId)).map((t) => t.status)).toEqual(["succeeded", "succeeded", "refused", "pending"]);
    // Plain users and managers are never told.
    expect(await listNotifications(db, { orgId: scene.orgId, userId: scene.user, role: "user" })).toEqual([]);
  });

  it("does not count a failed top-up against the cap: it bought nothing", async () => {
    const scene = await topUpScene({ credits: 10.75 * USD, settings: { ...ON, monthlyCapMicros: 15 * USD }, now: NOW });
    const { prisma } = await testStore();
    await spend(scene.orgId, scene.user, 1.5 * USD, at(1)); // $9.25: pending
    await prisma.creditTopUp.updateMany({ where: { orgId: scene.orgId }, data: { status: "failed", failure: "declined" } });
    await grant(scene.orgId, 5 * USD, "test:by-hand", at(2)); // $14.25
    await spend(scene.orgId, scene.user, 6 * USD, at(3)); // $8.25: $10 of $15 still fits
    expect((await topUpsOf(scene.orgId)).map((t) => t.status)).toEqual(["failed", "pending"]);
  });
});

/** The store calls naming `fn`: how many, and how many were in flight at once at most. */
function watching(sql: SqlExecutor, fn: string) {
  const seen = { calls: 0, inFlight: 0, mostInFlight: 0, sql: { ...sql } as SqlExecutor };
  seen.sql.query = async (text, params, options) => {
    if (!text.includes(fn)) return sql.query(text, params, options);
    seen.calls++;
    seen.mostInFlight = Math.max(seen.mostInFlight, ++seen.inFlight);
    try {
      return await sql.query(text, params, options);
    } finally {
      seen.inFlight--;
    }
  };
  return seen;
}

describe.skipIf(!onServer)("racing settles (real Postgres)", () => {
  /** Twenty holds of $0.75 each on $20 of credits, then all settled at once: $15 spent, one crossing of $10. */
  async function race(sameInstant: boolean) {
    const scene = await topUpScene({ credits: 20 * USD, settings: ON, now: NOW });
    const opened: string[] = [];
    onTopUpOpened((orgId) => opened.push(orgId));
    const { sql } = await testStore();
    const holds = [];
    for (let i = 0; i < 20; i++) {
      holds.push(await authorizeAi(sql, { orgId: scene.orgId, userId: scene.user, feature: "chat", model: "claude-opus-4-1", inputTokens: 0, maxOutputTokens: 10_000 }, at(1)));
    }
    // Distinct instants keep the settles out of one coalesced batch: twenty SQL calls race for the credit account's lock.
    const settle = watching(sql, "ledgerline_ai_settle");
    const settled = await Promise.all(holds.map((hold, i) =>
      settleAi(settle.sql, { orgId: scene.orgId, authorizationId: hold.authorizationId, inputTokens: 0, outputTokens: 10_000 }, undefined, sameInstant ? at(2) : new Date(at(2).getTime() + i))));
    if (!sameInstant) {
      expect(settle.calls).toBe(20);
      expect(settle.mostInFlight).toBeGreaterThan(1);
    }
    expect(settled.reduce((sum, s) => sum + s.creditMicros, 0)).toBe(15 * USD);
    expect(await balance(scene.orgId)).toBe(5 * USD);
    expect(await topUpsOf(scene.orgId)).toMatchObject([{ status: "pending", amountMicros: 10 * USD }]);
    expect(opened).toEqual([scene.orgId]);
    expect(await ledgerMismatches(scene.orgId)).toEqual([]);
  }

  it("twenty settles racing across connections open exactly one top-up", () => race(false));
  it("twenty settles coalesced into batches open exactly one top-up", () => race(true));

  it("settles racing at the cap write one refusal and tell each admin once", async () => {
    const scene = await topUpScene({ credits: 20 * USD, settings: { ...ON, monthlyCapMicros: 5 * USD, amountMicros: 5 * USD }, now: NOW });
    const { sql, prisma } = await testStore();
    // Used up this month already: a top-up of $5 succeeded.
    await prisma.creditTopUp.create({ data: { orgId: scene.orgId, status: "succeeded", amountMicros: 5 * USD, createdAt: at(0) } });
    const holds = [];
    for (let i = 0; i < 20; i++) {
      holds.push(await authorizeAi(sql, { orgId: scene.orgId, userId: scene.user, feature: "chat", model: "claude-opus-4-1", inputTokens: 0, maxOutputTokens: 10_000 }, at(1)));
    }
    await Promise.all(holds.map((hold, i) =>
      settleAi(sql, { orgId: scene.orgId, authorizationId: hold.authorizationId, inputTokens: 0, outputTokens: 10_000 }, undefined, new Date(at(2).getTime() + i))));
    expect((await topUpsOf(scene.orgId)).map((t) => t.status)).toEqual(["succeeded", "refused"]);
    expect(await prisma.notification.count({ where: { orgId: scene.orgId } })).toBe(2);
  });
});
