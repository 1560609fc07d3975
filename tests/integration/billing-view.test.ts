import { describe, expect, it } from "vitest";
import { CREDIT_LEDGER_ROWS, getBillingView, intervalChoices, planChangeDescription } from "@/lib/billing-view";
import { postCredit } from "@/lib/metering/credits";
import { returnNotice } from "@/lib/stripe/checkout-return";
import { createOrg } from "../support/store";
import { linkToStripe } from "../support/stripe-webhook";

/** The billing pages' view model: what each viewer gets, and what never reaches those who may not see dollars. */

const USD = 1_000_000;
const NOW = new Date("2026-11-26T12:00:00Z");
const leaksDollars = (value: unknown) => /\$\d|micros/i.test(JSON.stringify(value));

async function orgWithCredits() {
  const org = await createOrg({ plan: "pro", anchor: new Date("2026-01-15T08:00:00Z"), creditMicros: 25 * USD });
  await org.db.$transaction(async (tx) => {
    await postCredit(tx, org.orgId, "draw_down", -420_000, "auth_test_1");
    await postCredit(tx, org.orgId, "adjustment", 2 * USD, "support:goodwill");
  });
  return org;
}

describe("getBillingView", () => {
  it("gives dollar viewers the balance and its ledger, newest first, with signed amounts", async () => {
    const { orgId, db } = await orgWithCredits();
    const view = await getBillingView(db, orgId, "admin", NOW);
    expect(view.credits).toBe("$26.58");
    expect(view.creditLedger).toEqual({
      total: 3,
      entries: [
        { id: expect.any(String), kind: "Adjustment", date: expect.stringMatching(/^[A-Z][a-z]{2} \d{1,2}, \d{4}$/), amount: "+$2.00", reference: "support:goodwill" },
        { id: expect.any(String), kind: "Draw-down", date: expect.any(String), amount: "-$0.42", reference: "auth_test_1" },
        { id: expect.any(String), kind: "Grant", date: expect.any(String), amount: "+$25.00", reference: "test:grant" },
      ],
    });
    expect(view).toMatchObject({ canManage: true, canAct: true, nextReset: "Dec 15", intervalLabel: "Monthly", statusLabel: "Active" });
    expect(view.plan.price).toEqual({ amount: "$49.00", per: "/month" });
  });

  it("gives plain users and managers the plan's list price, but no amount of the org's and no ledger", async () => {
    const { orgId, db } = await orgWithCredits();
    for (const role of ["user", "manager"] as const) {
      const { plan, ...view } = await getBillingView(db, orgId, role, NOW);
      expect(view).toMatchObject({ credits: "Available", creditLedger: null, canAct: false });
      expect(plan.price).toEqual({ amount: "$49.00", per: "/month" });
      expect(leaksDollars(view)).toBe(false);
    }
    expect((await getBillingView(db, orgId, "manager", NOW)).canManage).toBe(true);
    expect((await getBillingView(db, orgId, "user", NOW)).canManage).toBe(false);
  });

  it("follows the org's preview flag for everyone, without giving them the actions", async () => {
    const { orgId, db } = await orgWithCredits();
    await db.org.update({ where: { id: orgId }, data: { previewFlag: true } });
    const view = await getBillingView(db, orgId, "user", NOW);
    expect(view).toMatchObject({ credits: "$26.58", canAct: false, creditLedger: { total: 3 } });
  });

  it("lists the latest rows of a long ledger and says how many there are", async () => {
    const { orgId, db } = await orgWithCredits();
    await db.$transaction(async (tx) => {
      for (let i = 0; i < 25; i++) await postCredit(tx, orgId, "draw_down", -10_000, `auth_many_${i}`);
    });
    const view = await getBillingView(db, orgId, "super_admin", NOW);
    expect(view.creditLedger?.total).toBe(28);
    expect(view.creditLedger?.entries).toHaveLength(CREDIT_LEDGER_ROWS);
    expect(view.creditLedger?.entries[0].reference).toBe("auth_many_24");
  });

  it("counts seats per type against the plan's caps and flags a type over its cap", async () => {
    const { orgId, db } = await createOrg({ plan: "free", members: [{ role: "admin" }, { role: "user" }, { role: "user" }] });
    const view = await getBillingView(db, orgId, "admin", NOW);
    expect(view.seats).toEqual([
      { label: "Power", used: 0, limit: "1", over: false },
      { label: "Collaborator", used: 3, limit: "2", over: true },
    ]);
    expect(view).toMatchObject({ credits: null, creditLedger: { total: 0, entries: [] }, intervalLabel: "No billing", statusLabel: "Free" });
  });

  it("knows whether a plan change updates a live subscription or goes through Checkout", async () => {
    const { orgId, db } = await createOrg({ plan: "pro" });
    expect((await getBillingView(db, orgId, "admin", NOW)).hasSubscription).toBe(false);
    await linkToStripe(orgId, { subscription: "sub_live" + orgId.slice(-8) });
    const live = await getBillingView(db, orgId, "admin", NOW);
    expect(live.hasSubscription).toBe(true);
    expect(planChangeDescription(live, "business")).toMatch(/updates the subscription now/);
    expect(planChangeDescription(live, "free")).toMatch(/ends the subscription at the close of the paid period/);
    await db.org.update({ where: { id: orgId }, data: { subscriptionStatus: "canceled" } });
    const ended = await getBillingView(db, orgId, "admin", NOW);
    expect(ended.hasSubscription).toBe(false);
    expect(planChangeDescription(ended, "business")).toMatch(/opens Stripe Checkout/);
    expect(planChangeDescription(await getBillingView(db, orgId, "manager", NOW), "business")).toBe("Only an admin can confirm a plan change.");
  });
});

describe("intervalChoices", () => {
  it("prices both intervals of a paid plan, and offers none for Free", () => {
    expect(intervalChoices("business")).toEqual([
      { interval: "month", label: "Monthly · $199.00/month" },
      { interval: "year", label: "Annual · $1,910.00/year" },
    ]);
    expect(intervalChoices("free")).toEqual([]);
  });
});

describe("returnNotice", () => {
  it("words Stripe's return, and ignores anything else in the query", () => {
    expect(returnNotice({ checkout: "success" })).toMatchObject({ tone: "success", message: expect.stringMatching(/new plan/) });
    expect(returnNotice({ credits: "success" })).toMatchObject({ tone: "success", message: expect.stringMatching(/credits/) });
    expect(returnNotice({ credits: "canceled" })).toEqual({ tone: "neutral", message: "Checkout was canceled; nothing was charged." });
    expect(returnNotice({})).toBeNull();
    expect(returnNotice({ checkout: "<script>", credits: ["success", "success"] })).toBeNull();
  });
});
