import { describe, expect, it } from "vitest";
import { createCreditCheckout, createPlanCheckout, createPortalSession } from "@/lib/stripe/billing-actions";
import { useFakeStripe } from "../support/fake-stripe";
import { rejection } from "../support/rejection";
import { createOrg } from "../support/store";
import { checkoutSessionObject, newSubscriptionId, stripeEvent } from "../support/stripe-objects";
import { deliver, linkToStripe } from "../support/stripe-webhook";

/** The billing pages' calls to Stripe, made against a loopback stand-in that records them. */

const USD = 1_000_000;
const fake = useFakeStripe();

const paths = () => fake.requests.map((r) => `${r.method} ${r.path}`);

describe("createPortalSession", () => {
  it("creates the org's Stripe customer on first use, then reuses it", async () => {
    const { orgId, db } = await createOrg();
    const first = await createPortalSession(orgId, "/admin/billing");
    expect(first.url).toMatch(/^https:\/\/billing\.stripe\.test\//);
    expect(paths()).toEqual(["POST /v1/customers", "POST /v1/billing_portal/sessions"]);
    const [customer, portal] = fake.requests;
    expect(customer).toMatchObject({ idempotencyKey: `customer-for-${orgId}`, authorization: "Bearer sk_test_placeholder" });
    expect(customer.form).toMatchObject({ name: "Test org", "metadata[orgId]": orgId });
    const { stripeCustomerId } = await db.org.findUniqueOrThrow({ where: { id: orgId } });
    expect(portal.form).toEqual({ customer: stripeCustomerId, return_url: "http://localhost:3000/admin/billing" });

    fake.requests.splice(0);
    await createPortalSession(orgId, "http://localhost:3000/settings/billing");
    expect(paths()).toEqual(["POST /v1/billing_portal/sessions"]);
  });

  it("refuses a return link off the app's origin before calling Stripe", async () => {
    const { orgId } = await createOrg();
    const error = await rejection(createPortalSession(orgId, "https://evil.example/phish"));
    expect(error.code).toBe("invalid_request");
    expect(fake.requests).toEqual([]);
  });

  it("answers not_found for an unknown org", async () => {
    expect((await rejection(createPortalSession("org_missing", "/settings/billing"))).code).toBe("not_found");
  });
});

describe("createPlanCheckout", () => {
  it("sends an org without a subscription to Checkout for the plan's price", async () => {
    const { orgId } = await createOrg({ plan: "free" });
    const change = await createPlanCheckout(orgId, "business", "year");
    expect(change).toMatchObject({ kind: "checkout", url: expect.stringMatching(/^https:\/\/checkout\.stripe\.test\//) });
    const session = fake.requests.find((r) => r.path === "/v1/checkout/sessions")!;
    expect(session.form).toMatchObject({
      mode: "subscription",
      client_reference_id: orgId,
      "line_items[0][price]": "price_business_year",
      "line_items[0][quantity]": "1",
      "subscription_data[metadata][orgId]": orgId,
      "metadata[orgId]": orgId,
      success_url: "http://localhost:3000/settings/billing?checkout=success",
      cancel_url: "http://localhost:3000/settings/billing?checkout=canceled",
    });
    expect(session.form.customer).toMatch(/^cus_/);
  });

  it("swaps the price of an existing subscription and invoices the difference at once", async () => {
    const { orgId } = await createOrg({ plan: "pro" });
    const subscription = newSubscriptionId();
    const { customer } = await linkToStripe(orgId, { subscription });
    fake.addSubscription({ id: subscription, customer, anchor: new Date(), priceId: "price_pro_month" });

    expect(await createPlanCheckout(orgId, "pro", "month")).toEqual({ kind: "unchanged" });
    expect(await createPlanCheckout(orgId, "ultra", "month")).toEqual({ kind: "subscription_updated" });
    const update = fake.requests.find((r) => r.method === "POST" && r.path === `/v1/subscriptions/${subscription}`)!;
    expect(update.form).toMatchObject({
      "items[0][id]": `si_${subscription.slice(4)}`,
      "items[0][price]": "price_ultra_month",
      proration_behavior: "always_invoice",
      cancel_at_period_end: "false",
    });
    // The org itself changes only when Stripe's event arrives.
    expect(paths()).not.toContain("POST /v1/checkout/sessions");
  });

  it("cancels at the end of the paid period when Free is chosen", async () => {
    const { orgId } = await createOrg({ plan: "pro" });
    const subscription = newSubscriptionId();
    const { customer } = await linkToStripe(orgId, { subscription });
    fake.addSubscription({ id: subscription, customer, anchor: new Date() });
    expect(await createPlanCheckout(orgId, "free", "month")).toEqual({ kind: "cancel_scheduled" });
    expect(fake.subscription(subscription)!.cancel_at_period_end).toBe(true);
    expect(await createPlanCheckout(orgId, "free", "month")).toEqual({ kind: "unchanged" });
  });

  it("rejects a plan that is not in the catalog", async () => {
    const { orgId } = await createOrg();
    expect((await rejection(createPlanCheckout(orgId, "platinum" as "pro", "month"))).code).toBe("invalid_request");
    expect(fake.requests).toEqual([]);
  });
});

describe("createCreditCheckout", () => {
  it("opens Checkout in payment mode whose metadata the webhook turns into a grant", async () => {
    const { orgId, db } = await createOrg();
    const { url } = await createCreditCheckout(orgId, 25 * USD, "/admin/billing");
    expect(url).toMatch(/^https:\/\/checkout\.stripe\.test\//);
    const request = fake.requests.find((r) => r.path === "/v1/checkout/sessions")!;
    expect(request.form).toMatchObject({
      mode: "payment",
      "line_items[0][price_data][currency]": "usd",
      "line_items[0][price_data][unit_amount]": "2500",
      "metadata[purpose]": "credit_purchase",
      "metadata[orgId]": orgId,
      "metadata[amountMicros]": String(25 * USD),
      "payment_intent_data[metadata][purpose]": "credit_purchase",
      success_url: "http://localhost:3000/admin/billing?credits=success",
    });

    // Stripe echoes the session's metadata back in checkout.session.completed.
    const metadata = Object.fromEntries(
      Object.entries(request.form).filter(([k]) => k.startsWith("metadata[")).map(([k, v]) => [k.slice(9, -1), v]),
    );
    await deliver(stripeEvent("checkout.session.completed", checkoutSessionObject({ metadata }), { created: new Date() }));
    expect(Number((await db.creditAccount.findUniqueOrThrow({ where: { orgId } })).balanceMicros)).toBe(25 * USD);
  });

  it("refuses amounts outside the bounds or finer than a cent, before calling Stripe", async () => {
    const { orgId } = await createOrg();
    for (const amount of [1 * USD, 20_000 * USD, 10 * USD + 1, 10.5]) {
      expect((await rejection(createCreditCheckout(orgId, amount))).code).toBe("invalid_request");
    }
    expect(fake.requests).toEqual([]);
  });
});
