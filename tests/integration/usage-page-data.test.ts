import { describe, expect, it } from "vitest";
import { getBillingView } from "@/lib/billing-view";
import { seedDemo } from "@/lib/demo/seed";
import { SEEDED_MODEL_IDS } from "../support/seeded-models";
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
