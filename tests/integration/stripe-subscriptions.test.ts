import { describe, expect, it } from "vitest";
import { ApiError } from "@/lib/api/errors";
import { consumeUsage } from "@/lib/metering/consume";
import { createOrg } from "../support/store";
import { newSubscriptionId, stripeEvent, subscriptionObject, type SubscriptionOptions } from "../support/stripe-objects";
import { auditTrail, deliver, linkToStripe } from "../support/stripe-webhook";

/** customer.subscription.created / updated / deleted: plan, interval, status, order, and the end of a subscription. */

const ANCHOR = new Date("2026-01-15T00:00:00Z");
const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);
let key = 0;
const nextKey = () => `sub-test-${Date.now()}-${key++}`;

async function subscribedOrg(plan: "free" | "pro" = "pro") {
  const { orgId, db, sql } = await createOrg({ plan, anchor: ANCHOR });
  const subscription = newSubscriptionId();
  const { customer } = await linkToStripe(orgId, { subscription: plan === "free" ? undefined : subscription });
  const send = (type: string, options: Partial<SubscriptionOptions>, created: number, previousAttributes?: Record<string, unknown>) =>
    deliver(stripeEvent(type, subscriptionObject({ id: subscription, customer, anchor: ANCHOR, ...options }), { created, previousAttributes }));
  const org = () => db.org.findUniqueOrThrow({ where: { id: orgId } });
  return { orgId, db, sql, subscription, customer, send, org };
}

describe("customer.subscription.created / updated", () => {
  it("takes plan, interval, status, anchor and subscription from a new subscription", async () => {
    const { orgId, send, org, subscription } = await subscribedOrg("free");
    const anchor = new Date(Math.floor(Date.now() / 1000) * 1000);
    expect((await send("customer.subscription.created", { priceId: "price_business_year", anchor }, seconds(anchor.toISOString()))).status).toBe(200);
    expect(await org()).toMatchObject({
      plan: "business",
      billingInterval: "year",
      subscriptionStatus: "active",
      billingAnchor: anchor,
      stripeSubscriptionId: subscription,
      stripeStateAt: anchor,
    });
    const trail = await auditTrail(orgId);
    expect(trail.map((a) => a.action)).toEqual(["plan_changed", "billing_anchor_moved"]);
    expect(trail[0]).toMatchObject({
      actor: expect.stringMatching(/^stripe:evt_/),
      before: { plan: "free", billingInterval: "month" },
      after: { plan: "business", billingInterval: "year", subscriptionStatus: "active" },
    });
  });

  it("finds an org not linked to its customer yet through the subscription's metadata, and links it", async () => {
    const { orgId, db } = await createOrg({ plan: "free", anchor: ANCHOR });
    const subscription = subscriptionObject({ id: newSubscriptionId(), customer: "cus_from_checkout", anchor: ANCHOR, metadata: { orgId } });
    await deliver(stripeEvent("customer.subscription.created", subscription, { created: new Date() }));
    expect(await db.org.findUniqueOrThrow({ where: { id: orgId } })).toMatchObject({ plan: "pro", stripeCustomerId: "cus_from_checkout" });
  });

  it("changes plan on an update and audits before and after", async () => {
    const { orgId, send, org } = await subscribedOrg();
    await send("customer.subscription.updated", { priceId: "price_ultra_month" }, seconds("2026-03-01T00:00:00Z"));
    expect((await org()).plan).toBe("ultra");
    const [change] = (await auditTrail(orgId)).filter((a) => a.action === "plan_changed");
    expect(change).toMatchObject({ before: { plan: "pro" }, after: { plan: "ultra" } });
  });

  it("never lets an older state overwrite a newer one", async () => {
    const { orgId, send, org } = await subscribedOrg();
    await send("customer.subscription.updated", { priceId: "price_business_month" }, seconds("2026-03-02T00:00:00Z"));
    const late = await send("customer.subscription.updated", { priceId: "price_pro_year" }, seconds("2026-03-01T00:00:00Z"));
    expect(late.status).toBe(200);
    expect(await org()).toMatchObject({ plan: "business", billingInterval: "month", stripeStateAt: new Date("2026-03-02T00:00:00Z") });
    expect((await auditTrail(orgId)).filter((a) => a.action === "plan_changed")).toHaveLength(1);
  });

  it("ignores a late `created` stamped in the same second as an update already applied", async () => {
    const { send, org } = await subscribedOrg();
    const second = seconds("2026-03-05T00:00:00Z");
    await send("customer.subscription.updated", { priceId: "price_business_month", status: "active" }, second, { status: "incomplete" });
    await send("customer.subscription.created", { priceId: "price_business_month", status: "incomplete" }, second);
    expect(await org()).toMatchObject({ plan: "business", subscriptionStatus: "active" });
  });

  it("keeps an org on Free while its subscription is incomplete, and gives the plan once it is active", async () => {
    const { send, org } = await subscribedOrg("free");
    await send("customer.subscription.created", { status: "incomplete" }, seconds("2026-03-01T00:00:00Z"));
    expect(await org()).toMatchObject({ plan: "free", subscriptionStatus: "incomplete" });
    await send("customer.subscription.updated", { status: "active" }, seconds("2026-03-01T00:00:05Z"), { status: "incomplete" });
    expect(await org()).toMatchObject({ plan: "pro", subscriptionStatus: "active" });
  });

  it("lets a live new subscription replace the org's old one, but not an ended one", async () => {
    const { send, org, customer } = await subscribedOrg();
    const replacement = newSubscriptionId();
    const other = (status: string, created: string) =>
      deliver(stripeEvent("customer.subscription.updated", subscriptionObject({ id: replacement, customer, anchor: ANCHOR, status, priceId: "price_ultra_month" }), { created: seconds(created) }));
    await other("incomplete_expired", "2026-03-01T00:00:00Z");
    expect(await org()).toMatchObject({ plan: "pro" });
    await other("active", "2026-03-02T00:00:00Z");
    expect(await org()).toMatchObject({ plan: "ultra", stripeSubscriptionId: replacement });
    // The old subscription ending now is none of the org's business.
    await send("customer.subscription.deleted", { status: "canceled" }, seconds("2026-03-03T00:00:00Z"));
    expect(await org()).toMatchObject({ plan: "ultra", stripeSubscriptionId: replacement });
  });
});

describe("customer.subscription.deleted", () => {
  it("puts the org back on Free, keeps the anchor and counts the running period's usage against Free", async () => {
    const { orgId, db, sql, send, org } = await subscribedOrg();
    const now = new Date("2026-03-20T12:00:00Z");
    await consumeUsage(sql, { orgId, metric: "emails_sent", quantity: 9_000, idempotencyKey: nextKey() }, { now });
    await db.org.update({ where: { id: orgId }, data: { aiPaused: true } });

    expect((await send("customer.subscription.deleted", { status: "canceled" }, seconds("2026-03-20T11:00:00Z"))).status).toBe(200);
    expect(await org()).toMatchObject({
      plan: "free",
      billingInterval: "month",
      subscriptionStatus: "canceled",
      stripeSubscriptionId: null,
      billingAnchor: ANCHOR,
      aiPaused: false,
    });
    // Free's 500 emails are long used up in this period: nothing was granted afresh.
    const denied = await consumeUsage(sql, { orgId, metric: "emails_sent", quantity: 1, idempotencyKey: nextKey() }, { now }).catch((e: ApiError) => e);
    expect(denied).toBeInstanceOf(ApiError);
    expect((denied as ApiError).toJSON().error).toMatchObject({ code: "limit_exceeded", used: 9_000, limit: 500, resetsAt: "2026-04-15T00:00:00.000Z" });
    // At the anchor's next occurrence the Free period starts at zero.
    const next = await consumeUsage(sql, { orgId, metric: "emails_sent", quantity: 1, idempotencyKey: nextKey() }, { now: new Date("2026-04-15T00:00:00Z") });
    expect(next).toMatchObject({ used: 1, limit: 500 });
    expect((await auditTrail(orgId)).map((a) => a.action)).toEqual(["plan_changed", "ai_restored"]);
  });

  it("ignores a state of the deleted subscription that arrives after the deletion", async () => {
    const { send, org } = await subscribedOrg();
    await send("customer.subscription.deleted", { status: "canceled" }, seconds("2026-03-20T00:00:00Z"));
    await send("customer.subscription.updated", { status: "active", priceId: "price_ultra_month" }, seconds("2026-03-19T00:00:00Z"));
    expect(await org()).toMatchObject({ plan: "free", stripeSubscriptionId: null });
  });
});
