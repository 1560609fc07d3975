import { describe, expect, it } from "vitest";
import { getBillingView } from "@/lib/billing-view";
import { seedDemo } from "@/lib/demo/seed";
import { SEEDED_MODEL_IDS } from "../support/seeded-models";
import { consumeUsage } from "@/lib/metering/consume";
import { grantCredits } from "@/lib/metering/credit-grants";
import { getUsageSnapshot } from "@/lib/metering/snapshot";
import { toUsageView } from "@/lib/usage-view";
import { createOrg, testStore } from "../support/store";

/** The Usage and billing pages' data path, snapshot to view model, on the seeded demo. */

const NOW = new Date("2026-11-26T12:00:00Z");
/** A leak is any dollar figure but the plan's list price, which every member sees. */
const leaks = (value: { plan: object }) => {
  const json = JSON.stringify({ ...value, plan: { ...value.plan, price: null } });
  return /\$\d|micros/i.test(json) || SEEDED_MODEL_IDS.some((id) => json.includes(id));
};

describe("usage page data on the demo", () => {
  it("gives each persona what the rules say", async () => {
    const store = await testStore();
    await seedDemo(store.sql, NOW);
    const acme = await getUsageSnapshot(store.prisma, "org_acme", NOW);

    const margaret = toUsageView(acme, { userId: "user_margaret", role: "user" });
    expect(leaks(margaret)).toBe(false);
    expect(margaret.plan.price).toEqual({ amount: "$49.00", per: "/month" });
    expect(margaret.myUsage?.map((m) => m.basis)).toEqual(["pool", "pool"]);
    expect(margaret.ai.resetsOn).toBe("Nov 30");
    expect(margaret.history.enough).toBe(true);

    const linus = toUsageView(acme, { userId: "user_linus", role: "user" });
    // Acme's enrichments pool is at 1,000 of 1,000: that, not his 96 of 100, refuses his next one.
    expect(linus.myUsage?.map((m) => [m.basis, m.status])).toEqual([["allocation", "nearly"], ["allocation", "pool_exhausted"]]);

    const alan = toUsageView(acme, { userId: "user_alan", role: "admin" });
    expect(alan.ai.dollars).toMatchObject({ used: "$70.00", limit: "$100.00", credits: "$25.00" });

    const northwind = toUsageView(await getUsageSnapshot(store.prisma, "org_northwind", NOW), { userId: "user_nina", role: "admin" });
    expect(northwind.ai.paused).toEqual({ viewerIsAdmin: true });
    expect(northwind.plan.upgradeHref).toBeNull();

    const bella = toUsageView(await getUsageSnapshot(store.prisma, "org_beta_labs", NOW), { userId: "user_bella", role: "user" });
    expect(bella.ai.dollars?.used).toBe("$40.00");
  });

  it("says a new org has not enough history yet", async () => {
    const { orgId, members, db } = await createOrg({ anchor: new Date("2026-11-20T00:00:00Z"), members: [{ role: "user" }] });
    const view = toUsageView(await getUsageSnapshot(db, orgId, NOW), { userId: members[0], role: "user" });
    expect(view.history.enough).toBe(false);
    expect(view.ai.features.every((f) => f.tier === null && f.share === 0)).toBe(true);
  });

  it("forecasts each resetting meter from the store's counters, and says which credits expire first", async () => {
    // Anchored on the 16th: ten days into a thirty-day cycle at NOW.
    const { orgId, members, db, sql } = await createOrg({ plan: "pro", anchor: new Date("2026-10-16T12:00:00Z"), members: [{ role: "admin" }] });
    const dayOf = (n: number) => new Date(Date.parse("2026-11-16T12:00:00Z") + n * 86_400_000);
    for (const [day, quantity] of [[0, 1_000], [4, 1_500], [9, 500]] as const) {
      await consumeUsage(sql, { orgId, metric: "emails_sent", quantity, idempotencyKey: `forecast-${day}` }, { now: dayOf(day) });
    }
    await db.$transaction((tx) => grantCredits(tx, { orgId, source: "promotional", amountMicros: 5_000_000, reference: "promo", expiresAt: new Date("2026-12-31T00:00:00Z"), now: NOW }));

    const snapshot = await getUsageSnapshot(db, orgId, NOW);
    expect(snapshot.period).toEqual({ start: "2026-11-16T12:00:00.000Z", end: "2026-12-16T12:00:00.000Z" });
    const emails = snapshot.meters.find((m) => m.metric === "emails_sent")!;
    // 3,000 in 10 of 30 days: 9,000 by the end, under Pro's 10,000.
    expect(emails.forecast).toEqual({ projectedUsed: 9_000, reachesLimitOn: null });
    expect(snapshot.meters.find((m) => m.metric === "contacts")!.forecast).toBeNull();
    expect(snapshot.ai.forecast).toEqual({ projectedUsed: 0, reachesLimitOn: null });
    expect(snapshot.ai.nextCreditExpiry).toEqual({ amountMicros: 5_000_000, expiresAt: "2026-12-31T00:00:00.000Z" });

    const view = toUsageView(snapshot, { userId: members[0], role: "admin" });
    expect(view.meterGroups.flatMap((g) => g.meters).find((m) => m.metric === "emails_sent")?.forecast).toBe("On track: about 9K of 10K by Dec 16");
    expect(view.ai.dollars?.creditsExpiring).toBe("$5.00 expires Dec 31");
    expect(toUsageView(snapshot, { userId: members[0], role: "user" }).ai.dollars).toBeNull();
  });

  it("reads, for the Usage page, the viewer and the members refused this cycle, and counts seats over every member", async () => {
    const { orgId, members, db, sql } = await createOrg({
      plan: "pro",
      members: [{ role: "admin", seatType: "power" }, { enrichmentAllocation: 1 }, {}, { seatType: "power" }, { enrichmentAllocation: 1 }, {}],
    });
    const [admin, refused] = members;
    const hit = (userId: string, key: string) => consumeUsage(sql, { orgId, userId, metric: "enrichments", quantity: 1, idempotencyKey: key }, { now: NOW });
    await hit(refused, "fits");
    await expect(hit(refused, "over")).rejects.toMatchObject({ code: "user_allocation_exceeded" }); // their own allocation is 1

    const scoped = await getUsageSnapshot(db, orgId, NOW, { viewer: members[2] });
    expect(scoped.members.map((m) => m.userId).sort()).toEqual([refused, members[2]].sort());
    expect({ memberCount: scoped.memberCount, seats: scoped.seats }).toEqual({ memberCount: 6, seats: { power: 2, collaborator: 4 } });

    const every = await getUsageSnapshot(db, orgId, NOW);
    expect(every.members).toHaveLength(6);
    const asAdmin = (snapshot: typeof every) => toUsageView(snapshot, { userId: admin, role: "admin" });
    const { asOf: _scopedAt, ...fromScoped } = asAdmin(await getUsageSnapshot(db, orgId, NOW, { viewer: admin }));
    const { asOf: _everyAt, ...fromEvery } = asAdmin(every);
    expect(fromScoped).toEqual(fromEvery);
    expect(fromScoped.blocked).toEqual([expect.objectContaining({ key: `${refused}:enrichments`, count: 1 })]);
  });

  it("billing view: payment state, and dollars only for those allowed", async () => {
    const store = await testStore();
    await seedDemo(store.sql, NOW);
    const northwind = await getBillingView(store.prisma, "org_northwind", "admin");
    expect(northwind.payment).toMatchObject({ tone: "danger", label: "Payment failed" });
    expect(northwind.statusLabel).toBe("Unpaid");
    expect(northwind.plan.price).toEqual({ amount: "$199.00", per: "/month" });

    const acmeUser = await getBillingView(store.prisma, "org_acme", "user");
    expect(acmeUser).toMatchObject({ canManage: false, credits: "Available", payment: { label: "In good standing" } });
    expect(leaks(acmeUser)).toBe(false);
    expect(acmeUser.plan.price).toEqual({ amount: "$49.00", per: "/month" });
    expect(acmeUser.seats).toEqual([
      { label: "Power", used: 3, limit: "5", over: false },
      { label: "Collaborator", used: 2, limit: "10", over: false },
    ]);
  });
});
