import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { consumeUsage } from "@/lib/metering/consume";
import { createOrg, ledgerMismatches, testStore } from "../support/store";
import { newSubscriptionId, stripeEvent, subscriptionObject } from "../support/stripe-objects";
import { auditTrail, deliver, linkToStripe } from "../support/stripe-webhook";

/**
 * Billing anchor moves, seen from the counters: a move starts a fresh period
 * only forward in time, never reopens a row the org has left, and no email is
 * ever counted in two periods (lib/billing-anchor-move.ts has the rule).
 */

const JAN_15 = new Date("2026-01-15T00:00:00Z");
let key = 0;

beforeEach(() => void vi.useFakeTimers({ toFake: ["Date"] }));
afterEach(() => void vi.useRealTimers());

async function subscribedOrg() {
  const { orgId, sql } = await createOrg({ plan: "pro", anchor: JAN_15 });
  const subscription = newSubscriptionId();
  const { customer } = await linkToStripe(orgId, { subscription });

  /** Stripe reports `anchor` in an event created at `iso`, delivered and applied at that same instant. */
  const stripeReports = async (anchor: Date, iso: string) => {
    vi.setSystemTime(new Date(iso));
    const object = subscriptionObject({ id: subscription, customer, anchor });
    const response = await deliver(stripeEvent("customer.subscription.updated", object, { created: new Date(iso) }));
    expect(response.status).toBe(200);
  };
  const sendEmails = (quantity: number, iso: string) =>
    consumeUsage(sql, { orgId, metric: "emails_sent", quantity, idempotencyKey: `anchor-${key++}` }, { now: new Date(iso) });
  /** The org's email counters, oldest period first. */
  const periods = async () => {
    const store = await testStore();
    const rows = await store.sql.query<{ period_start: Date; used: string }>(
      `SELECT period_start, used::text FROM usage_counters WHERE org_id = $1 AND metric = 'emails_sent' AND user_id = '' ORDER BY period_start`,
      [orgId],
    );
    return rows.map((row) => [new Date(row.period_start).toISOString().slice(0, 16), Number(row.used)]);
  };
  return { orgId, stripeReports, sendEmails, periods };
}

describe("billing anchor moves", () => {
  it("starts a fresh period when Stripe resets the anchor, once, and leaves the old period's usage where it was", async () => {
    const { orgId, stripeReports, sendEmails, periods } = await subscribedOrg();
    await sendEmails(300, "2026-03-18T09:00:00Z");
    await stripeReports(new Date("2026-03-20T10:00:00Z"), "2026-03-20T10:00:00Z");
    expect(await sendEmails(100, "2026-03-20T11:00:00Z")).toMatchObject({ used: 100, resetsAt: "2026-04-20T10:00:00.000Z" });

    // The same anchor reported again later (any other subscription update) grants nothing new.
    await stripeReports(new Date("2026-03-20T10:00:00Z"), "2026-03-22T00:00:00Z");
    expect(await sendEmails(1, "2026-03-22T01:00:00Z")).toMatchObject({ used: 101 });
    expect(await periods()).toEqual([["2026-03-15T00:00", 300], ["2026-03-20T10:00", 101]]);
    expect((await auditTrail(orgId)).filter((a) => a.action === "billing_anchor_moved")).toHaveLength(1);
    expect(await ledgerMismatches(orgId)).toEqual([]);
  });

  it("keeps counting in the live period when the new anchor's period starts at the same instant", async () => {
    const { stripeReports, sendEmails, periods } = await subscribedOrg();
    await sendEmails(300, "2026-03-18T09:00:00Z");
    // Monthly to yearly on the anchor day: Stripe's anchor is a year on, the monthly reset day the same.
    await stripeReports(new Date("2027-01-15T00:00:00Z"), "2026-03-20T10:00:00Z");
    expect(await sendEmails(100, "2026-03-20T11:00:00Z")).toMatchObject({ used: 400 });
    expect(await periods()).toEqual([["2026-03-15T00:00", 400]]);
  });

  it("defers a move that would start the period before the live one, until Stripe's next boundary", async () => {
    const { orgId, stripeReports, sendEmails, periods } = await subscribedOrg();
    await sendEmails(300, "2026-03-18T09:00:00Z");
    // The 10th's period began on Mar 10: counting there from zero would hand out Mar 15-20 again.
    await stripeReports(new Date("2026-02-10T00:00:00Z"), "2026-03-20T10:00:00Z");
    expect(await sendEmails(100, "2026-03-20T11:00:00Z")).toMatchObject({ used: 400, resetsAt: "2026-04-15T00:00:00.000Z" });
    expect((await auditTrail(orgId)).filter((a) => a.action === "billing_anchor_moved")).toHaveLength(0);

    // Stripe renews on Apr 10 and says so; the anchor lands there, before the old Apr 15 reset.
    await stripeReports(new Date("2026-02-10T00:00:00Z"), "2026-04-10T00:00:00Z");
    expect(await sendEmails(1, "2026-04-10T00:01:00Z")).toMatchObject({ used: 1, resetsAt: "2026-05-10T00:00:00.000Z" });
    expect(await periods()).toEqual([["2026-03-15T00:00", 400], ["2026-04-10T00:00", 1]]);
    expect(await ledgerMismatches(orgId)).toEqual([]);
  });

  it("never reopens a period the org has left when the anchor moves back", async () => {
    const { orgId, stripeReports, sendEmails, periods } = await subscribedOrg();
    await sendEmails(300, "2026-03-18T09:00:00Z");
    await stripeReports(new Date("2026-03-20T10:00:00Z"), "2026-03-20T10:00:00Z");
    await sendEmails(50, "2026-03-21T00:00:00Z");
    // Back to the 15th: its live period would be the Mar 15 row, which already holds 300.
    await stripeReports(new Date("2026-01-15T00:00:00Z"), "2026-03-25T00:00:00Z");
    expect(await sendEmails(10, "2026-03-25T01:00:00Z")).toMatchObject({ used: 60 });
    expect(await periods()).toEqual([["2026-03-15T00:00", 300], ["2026-03-20T10:00", 60]]);

    await stripeReports(new Date("2026-01-15T00:00:00Z"), "2026-04-15T00:00:00Z");
    expect(await sendEmails(5, "2026-04-15T00:01:00Z")).toMatchObject({ used: 5 });
    expect(await periods()).toEqual([["2026-03-15T00:00", 300], ["2026-03-20T10:00", 60], ["2026-04-15T00:00", 5]]);
    expect(await ledgerMismatches(orgId)).toEqual([]);
  });
});
