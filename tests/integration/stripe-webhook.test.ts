import { describe, expect, it, vi } from "vitest";
import { createOrg, onServer, testStore } from "../support/store";
import { newSubscriptionId, stripeEvent, subscriptionObject } from "../support/stripe-objects";
import { auditTrail, deliver, linkToStripe, recordedEvents } from "../support/stripe-webhook";
import { logger } from "@/lib/observability/log";

/** The route's contract: signatures, exactly-once, unknown types, errors that make Stripe retry. */

async function proOrgUpgradeEvent() {
  const { orgId, db } = await createOrg({ plan: "free" });
  const { customer } = await linkToStripe(orgId);
  const subscription = subscriptionObject({ id: newSubscriptionId(), customer, priceId: "price_business_month", anchor: new Date() });
  const event = stripeEvent("customer.subscription.created", subscription, { created: new Date() });
  return { orgId, db, event };
}

describe("signature", () => {
  it("answers 400 invalid_signature for a wrong secret and changes nothing", async () => {
    const { orgId, db, event } = await proOrgUpgradeEvent();
    const response = await deliver(event, { secret: "whsec_someone_else" });
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe("invalid_signature");
    expect((await db.org.findUniqueOrThrow({ where: { id: orgId } })).plan).toBe("free");
    expect(await recordedEvents(event.id)).toHaveLength(0);
  });

  it("refuses a missing header, a garbled one and a tampered body", async () => {
    const { orgId, db, event } = await proOrgUpgradeEvent();
    for (const response of [
      await deliver(event, { header: null }),
      await deliver(event, { header: "t=1,v1=deadbeef" }),
      await deliver(event, { body: JSON.stringify({ ...event, type: "customer.subscription.updated" }) }),
    ]) {
      expect(response.status).toBe(400);
      expect((await response.json()).error.code).toBe("invalid_signature");
    }
    expect((await db.org.findUniqueOrThrow({ where: { id: orgId } })).plan).toBe("free");
    expect(await recordedEvents(event.id)).toHaveLength(0);
  });

  it("answers 503 webhook_not_configured, naming the variable, when no signing secret is set, and changes nothing", async () => {
    const { orgId, db, event } = await proOrgUpgradeEvent();
    const signed = process.env.STRIPE_WEBHOOK_SECRET!;
    vi.stubEnv("STRIPE_WEBHOOK_SECRET", "");
    try {
      const response = await deliver(event, { secret: signed });
      expect(response.status).toBe(503);
      const { error } = await response.json();
      expect(error.code).toBe("webhook_not_configured");
      expect(error.message).toContain("STRIPE_WEBHOOK_SECRET");
    } finally {
      vi.unstubAllEnvs();
    }
    expect((await db.org.findUniqueOrThrow({ where: { id: orgId } })).plan).toBe("free");
    expect(await recordedEvents(event.id)).toHaveLength(0);
  });

  it("refuses a correctly signed delivery whose timestamp is older than the tolerance", async () => {
    const { orgId, db, event } = await proOrgUpgradeEvent();
    const stale = Math.floor(Date.now() / 1000) - 10 * 60;
    const response = await deliver(event, { timestamp: stale });
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe("invalid_signature");
    expect((await db.org.findUniqueOrThrow({ where: { id: orgId } })).plan).toBe("free");
  });

  it("accepts a good signature with 200 {received: true}", async () => {
    const { orgId, db, event } = await proOrgUpgradeEvent();
    const response = await deliver(event);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: true });
    expect((await db.org.findUniqueOrThrow({ where: { id: orgId } })).plan).toBe("business");
    expect(await recordedEvents(event.id)).toMatchObject([{ type: "customer.subscription.created", orgId }]);
  });
});

describe("exactly once", () => {
  it("answers a replay with 200 and changes nothing", async () => {
    const { orgId, db, event } = await proOrgUpgradeEvent();
    expect((await deliver(event)).status).toBe(200);
    // Something else changes the org in between; the replay must not put the event's state back.
    await db.org.update({ where: { id: orgId }, data: { plan: "pro" } });
    const replay = await deliver(event);
    expect(replay.status).toBe(200);
    expect(await replay.json()).toEqual({ received: true });
    expect((await db.org.findUniqueOrThrow({ where: { id: orgId } })).plan).toBe("pro");
    expect((await auditTrail(orgId)).filter((a) => a.action === "plan_changed")).toHaveLength(1);
  });

  it("records an event of a type we do not handle, and ignores it", async () => {
    const event = stripeEvent("customer.tax_id.created", { id: "txi_1", object: "tax_id" }, { created: new Date() });
    const response = await deliver(event);
    expect(response.status).toBe(200);
    expect(await recordedEvents(event.id)).toMatchObject([{ type: "customer.tax_id.created", orgId: null }]);
    expect((await deliver(event)).status).toBe(200);
  });

  it("records, and ignores, a handled type about a customer that is none of ours", async () => {
    const subscription = subscriptionObject({ id: newSubscriptionId(), customer: "cus_unknown", anchor: new Date() });
    const event = stripeEvent("customer.subscription.updated", subscription, { created: new Date() });
    expect((await deliver(event)).status).toBe(200);
    expect(await recordedEvents(event.id)).toMatchObject([{ orgId: null }]);
  });

  it("rolls an event back on error, without recording it, so Stripe's retry applies it", async () => {
    const { orgId, db } = await createOrg({ plan: "free" });
    const { customer } = await linkToStripe(orgId);
    const subscription = subscriptionObject({ id: newSubscriptionId(), customer, priceId: "price_enterprise_custom", anchor: new Date() });
    const event = stripeEvent("customer.subscription.created", subscription, { created: new Date() });
    const logged = vi.spyOn(logger(), "error");
    const failed = await deliver(event);
    expect(logged).toHaveBeenCalledTimes(1);
    logged.mockRestore();
    expect(failed.status).toBe(500);
    expect(await recordedEvents(event.id)).toHaveLength(0);
    expect((await db.org.findUniqueOrThrow({ where: { id: orgId } })).stripeSubscriptionId).toBeNull();

    process.env.STRIPE_PRICE_ULTRA_YEAR = "price_enterprise_custom";
    try {
      expect((await deliver(event)).status).toBe(200);
    } finally {
      delete process.env.STRIPE_PRICE_ULTRA_YEAR;
    }
    expect(await db.org.findUniqueOrThrow({ where: { id: orgId } })).toMatchObject({ plan: "ultra", billingInterval: "year" });
  });
});

describe.skipIf(!onServer)("concurrent delivery (real Postgres)", () => {
  for (const copies of [2, 20]) {
    it(`applies the same event delivered ${copies} times at once exactly once`, async () => {
      const { orgId, db, event } = await proOrgUpgradeEvent();
      const responses = await Promise.all(Array.from({ length: copies }, () => deliver(event)));
      expect(responses.map((r) => r.status)).toEqual(Array(copies).fill(200));
      expect((await db.org.findUniqueOrThrow({ where: { id: orgId } })).plan).toBe("business");
      expect((await auditTrail(orgId)).filter((a) => a.action === "plan_changed")).toHaveLength(1);
      const store = await testStore();
      expect(await store.sql.query(`SELECT 1 FROM stripe_events WHERE id = $1`, [event.id])).toHaveLength(1);
    });
  }
});
