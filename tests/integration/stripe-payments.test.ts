import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { POST as authorizeRoute } from "@/app/api/v1/ai/authorize/route";
import { POST as consumeRoute } from "@/app/api/v1/usage/consume/route";
import { generateApiKey } from "@/lib/auth/api-keys";
import { createOrg } from "../support/store";
import { invoiceObject, newSubscriptionId, stripeEvent, subscriptionObject } from "../support/stripe-objects";
import { auditTrail, deliver, linkToStripe } from "../support/stripe-webhook";

/** Payment state: exhausted retries or an unpaid subscription pause AI; a paid invoice or a return to active restores it. */

const ANCHOR = new Date("2026-01-15T00:00:00Z");
const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

async function payingOrg() {
  const { orgId, db, members } = await createOrg({ plan: "pro", anchor: ANCHOR, members: [{ role: "admin" }] });
  const subscription = newSubscriptionId();
  const { customer } = await linkToStripe(orgId, { subscription });
  const { key, prefix, keyHash } = generateApiKey();
  await db.apiKey.create({ data: { id: `key_${randomUUID()}`, orgId, name: "test", keyHash, prefix } });

  const call = (route: (request: Request) => Promise<Response>, body: unknown) =>
    route(new Request("http://localhost/api", { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: JSON.stringify(body) }));
  const authorize = () => call(authorizeRoute, { userId: members[0], feature: "email", model: "gpt-4.1", inputTokens: 1_000, maxOutputTokens: 500 });
  const sendEmail = () => call(consumeRoute, { metric: "emails_sent", quantity: 1, idempotencyKey: `email-${randomUUID()}` });

  const invoice = (type: string, created: string, options: { retriesLeft?: boolean; subscription?: string } = {}) =>
    deliver(stripeEvent(type, invoiceObject({
      customer,
      subscription: options.subscription ?? subscription,
      nextPaymentAttempt: options.retriesLeft ? new Date(Date.parse(created) + 3 * 86_400_000) : null,
      status: type === "invoice.paid" ? "paid" : "open",
    }), { created: seconds(created) }));
  const subscriptionStatus = (status: string, created: string, previous?: string) =>
    deliver(stripeEvent("customer.subscription.updated", subscriptionObject({ id: subscription, customer, anchor: ANCHOR, status }), {
      created: seconds(created),
      previousAttributes: previous ? { status: previous } : undefined,
    }));
  const paused = async () => (await db.org.findUniqueOrThrow({ where: { id: orgId } })).aiPaused;
  const trail = async () => (await auditTrail(orgId)).map((a) => a.action);
  return { orgId, authorize, sendEmail, invoice, subscriptionStatus, paused, trail };
}

describe("pausing AI on payment failure", () => {
  it("does nothing while Stripe still retries the payment", async () => {
    const org = await payingOrg();
    expect((await org.invoice("invoice.payment_failed", "2026-03-01T00:00:00Z", { retriesLeft: true })).status).toBe(200);
    expect(await org.paused()).toBe(false);
    expect((await org.authorize()).status).toBe(200);
    expect(await org.trail()).toEqual([]);
  });

  it("pauses AI once retries are exhausted: authorize answers 402 while emails keep flowing; invoice.paid restores it", async () => {
    const org = await payingOrg();
    await org.invoice("invoice.payment_failed", "2026-03-01T00:00:00Z");
    expect(await org.paused()).toBe(true);

    const denied = await org.authorize();
    expect(denied.status).toBe(402);
    expect((await denied.json()).error).toMatchObject({ code: "ai_access_paused" });
    const email = await org.sendEmail();
    expect(email.status).toBe(200);
    expect(await email.json()).toMatchObject({ allowed: true, metric: "emails_sent", used: 1 });

    await org.invoice("invoice.paid", "2026-03-04T00:00:00Z");
    expect(await org.paused()).toBe(false);
    expect((await org.authorize()).status).toBe(200);

    const entries = await auditTrail(org.orgId);
    expect(entries.map((a) => a.action)).toEqual(["ai_paused", "ai_restored"]);
    expect(entries[0]).toMatchObject({ actor: expect.stringMatching(/^stripe:evt_/), before: { aiPaused: false }, after: { aiPaused: true, reason: "retries_exhausted" } });
    expect(entries[1]).toMatchObject({ before: { aiPaused: true }, after: { aiPaused: false, reason: "invoice_paid" } });
  });

  it("pauses when the subscription turns unpaid and restores when it is active again", async () => {
    const org = await payingOrg();
    await org.subscriptionStatus("unpaid", "2026-03-01T00:00:00Z", "past_due");
    expect(await org.paused()).toBe(true);
    expect((await org.authorize()).status).toBe(402);
    await org.subscriptionStatus("active", "2026-03-05T00:00:00Z", "unpaid");
    expect(await org.paused()).toBe(false);
    expect(await org.trail()).toEqual(["ai_paused", "ai_restored"]);
  });

  it("does not restore on an update of an active subscription that did not change its status", async () => {
    const org = await payingOrg();
    await org.invoice("invoice.payment_failed", "2026-03-01T00:00:00Z");
    await org.subscriptionStatus("active", "2026-03-02T00:00:00Z");
    expect(await org.paused()).toBe(true);
  });

  it("ignores a payment failure that arrives after a newer payment", async () => {
    const org = await payingOrg();
    await org.invoice("invoice.paid", "2026-03-04T00:00:00Z");
    await org.invoice("invoice.payment_failed", "2026-03-01T00:00:00Z");
    expect(await org.paused()).toBe(false);
    expect(await org.trail()).toEqual([]);
  });

  it("applies payment news in Stripe's order, whatever order it arrives in", async () => {
    const org = await payingOrg();
    await org.invoice("invoice.payment_failed", "2026-03-10T00:00:00Z");
    await org.invoice("invoice.paid", "2026-03-04T00:00:00Z"); // an older invoice's payment, delivered late
    expect(await org.paused()).toBe(true);
  });

  it("ignores invoices of a subscription the org no longer has", async () => {
    const org = await payingOrg();
    await org.invoice("invoice.payment_failed", "2026-03-01T00:00:00Z", { subscription: newSubscriptionId() });
    expect(await org.paused()).toBe(false);
  });
});
