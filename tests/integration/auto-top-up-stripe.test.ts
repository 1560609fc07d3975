import { describe, expect, it } from "vitest";
import { authorizeAi, settleAi } from "@/lib/metering/ai-holds";
import { topUpIdempotencyKey } from "@/lib/metering/auto-top-up";
import { listNotifications } from "@/lib/notifications/notification-list";
import { creditPurchaseMetadataFor } from "@/lib/stripe/credit-purchase";
import { sendOrgTopUps, sendPendingTopUps } from "@/lib/stripe/top-up-sender";
import { useFakeStripe } from "../support/fake-stripe";
import { ledgerMismatches, onServer, testStore } from "../support/store";
import { paymentIntentObject, stripeEvent } from "../support/stripe-objects";
import { auditTrail, deliver } from "../support/stripe-webhook";
import { balance, spend, succeed, topUpEvent, topUpScene, topUpsOf, USD, type TopUpScene } from "../support/top-ups";

/**
 * Sending an automatic top-up to Stripe (lib/stripe/top-up-sender.ts, through
 * the loopback stand-in) and the webhooks that settle it
 * (handlers/payment-intent-succeeded.ts, payment-intent-failed.ts): one
 * charge per top-up however many senders run or crash, credited exactly once
 * however often Stripe delivers, and a failure that tells the admins and
 * never pauses AI.
 */

const fake = useFakeStripe();
const NOW = new Date("2026-03-20T12:00:00Z");
const MINUTE = 60_000;
const at = (minutes: number) => new Date(NOW.getTime() + minutes * MINUTE);
const ON = { enabled: true, thresholdMicros: 10 * USD, amountMicros: 25 * USD, monthlyCapMicros: 100 * USD };

/** A scene with a pending top-up of $25, its org linked to a Stripe customer with a default card. */
async function pendingTopUp(options: { defaultPaymentMethod?: string | null } = {}) {
  const customer = fake.addCustomer(options);
  const scene = await topUpScene({ credits: 10.75 * USD, settings: ON, now: NOW, customer: customer.id });
  await spend(scene.orgId, scene.user, 1.5 * USD, at(1)); // $9.25
  const [topUp] = await topUpsOf(scene.orgId);
  expect(topUp.status).toBe("pending");
  return { scene, topUp, paymentMethod: customer.defaultPaymentMethod };
}

const intentRequests = (orgId: string) => fake.requests.filter((r) => r.path === "/v1/payment_intents" && r.form["metadata[orgId]"] === orgId);
const intentsOf = (orgId: string) => fake.paymentIntents().filter((intent) => intent.metadata.orgId === orgId);

async function notices(scene: TopUpScene) {
  const { prisma } = await testStore();
  return prisma.notification.findMany({ where: { orgId: scene.orgId }, orderBy: { userId: "asc" } });
}

async function aiPaused(orgId: string) {
  const { prisma } = await testStore();
  return (await prisma.org.findUniqueOrThrow({ where: { id: orgId } })).aiPaused;
}

describe("the sender", () => {
  it("creates one PaymentIntent: the top-up in cents, off-session, confirmed, on the customer's default card, under the top-up's key", async () => {
    const { scene, topUp, paymentMethod } = await pendingTopUp();
    const { prisma } = await testStore();
    expect(await sendOrgTopUps(prisma, scene.orgId, at(2))).toEqual({ sent: 1, failed: 0, retrying: 0 });

    const [request] = intentRequests(scene.orgId);
    expect(request.idempotencyKey).toBe(topUpIdempotencyKey(scene.orgId, topUp.id));
    expect(request.form).toMatchObject({
      amount: "2500",
      currency: "usd",
      customer: scene.customer,
      payment_method: paymentMethod,
      off_session: "true",
      confirm: "true",
      "metadata[purpose]": "auto_top_up",
      "metadata[orgId]": scene.orgId,
      "metadata[topUpId]": topUp.id,
    });
    const [intent] = intentsOf(scene.orgId);
    expect(await topUpsOf(scene.orgId)).toMatchObject([{ status: "sent", paymentIntentId: intent.id, leaseUntil: null, attempts: 1 }]);
    // Sent is not credited: the webhook brings the credits.
    expect(await balance(scene.orgId)).toBe(9.25 * USD);
    // Nothing left to send.
    expect(await sendOrgTopUps(prisma, scene.orgId, at(3))).toEqual({ sent: 0, failed: 0, retrying: 0 });
    expect(intentRequests(scene.orgId)).toHaveLength(1);
  });

  it("sends once when several senders run at once", async () => {
    const { scene } = await pendingTopUp();
    const { prisma } = await testStore();
    const passes = await Promise.all([sendOrgTopUps(prisma, scene.orgId, at(2)), sendOrgTopUps(prisma, scene.orgId, at(2)), sendPendingTopUps(prisma, at(2))]);
    expect(passes.reduce((sum, pass) => sum + pass.sent, 0)).toBeGreaterThanOrEqual(1);
    expect(intentRequests(scene.orgId)).toHaveLength(1);
    expect(intentsOf(scene.orgId)).toHaveLength(1);
    expect(await topUpsOf(scene.orgId)).toMatchObject([{ status: "sent", attempts: 1 }]);
  });

  it("after a crash between Stripe's answer and the mark, asks again with the same key: one charge", async () => {
    const { scene, topUp } = await pendingTopUp();
    const { prisma } = await testStore();
    // Stripe creates the PaymentIntent each time, but the answer never arrives (the client's own retries included).
    fake.hangUpPaymentIntents(3);
    expect(await sendOrgTopUps(prisma, scene.orgId, at(2))).toEqual({ sent: 0, failed: 0, retrying: 1 });
    expect(intentsOf(scene.orgId)).toHaveLength(1);
    expect(await topUpsOf(scene.orgId)).toMatchObject([{ status: "pending", attempts: 1 }]);
    // Within the lease, nobody asks again.
    expect(await sendPendingTopUps(prisma, at(2.5))).toMatchObject({ sent: 0 });
    expect(intentRequests(scene.orgId)).toHaveLength(3);

    // Once the lease has run out, the next pass asks with the same key and Stripe answers with the same PaymentIntent.
    expect(await sendOrgTopUps(prisma, scene.orgId, at(4))).toEqual({ sent: 1, failed: 0, retrying: 0 });
    const requests = intentRequests(scene.orgId);
    expect(requests).toHaveLength(4);
    expect(new Set(requests.map((r) => r.idempotencyKey))).toEqual(new Set([topUpIdempotencyKey(scene.orgId, topUp.id)]));
    const [intent] = intentsOf(scene.orgId);
    expect(intentsOf(scene.orgId)).toHaveLength(1);
    expect(await topUpsOf(scene.orgId)).toMatchObject([{ status: "sent", paymentIntentId: intent.id, attempts: 2 }]);
  });

  it("a declined card fails the top-up, tells each admin once and leaves AI running; Stripe's failure event changes nothing more", async () => {
    const { scene, topUp, paymentMethod } = await pendingTopUp();
    const { prisma, sql } = await testStore();
    fake.declinePayments(paymentMethod!, { code: "card_declined", message: "Your card was declined." });
    expect(await sendOrgTopUps(prisma, scene.orgId, at(2))).toEqual({ sent: 0, failed: 1, retrying: 0 });
    const [intent] = intentsOf(scene.orgId);
    const [failed] = await topUpsOf(scene.orgId);
    expect(failed).toMatchObject({ status: "failed", paymentIntentId: intent.id, failure: "Stripe could not charge the saved payment method: Your card was declined." });
    expect((await notices(scene)).map((n) => n.userId)).toEqual([scene.superAdmin, scene.admin].sort());
    const [seen] = await listNotifications(prisma, { orgId: scene.orgId, userId: scene.superAdmin, role: "super_admin" });
    expect(seen.title).toBe("Auto top-up failed");
    expect(seen.detail).toContain("Your card was declined.");
    expect(seen.detail).toContain("AI access is not paused");

    expect(await aiPaused(scene.orgId)).toBe(false);
    await expect(authorizeAi(sql, { orgId: scene.orgId, userId: scene.user, feature: "chat", model: "claude-opus-4-1", inputTokens: 0, maxOutputTokens: 10_000 }, at(3))).resolves.toMatchObject({ holdMicros: 0.75 * USD });

    const event = topUpEvent(scene, topUp, "payment_intent.payment_failed", { paymentIntentId: intent.id, lastPaymentError: "Your card was declined." });
    expect((await deliver(event)).status).toBe(200);
    expect(await notices(scene)).toHaveLength(2);
    expect((await auditTrail(scene.orgId)).filter((a) => a.action === "auto_top_up_failed")).toHaveLength(1);
    expect(await aiPaused(scene.orgId)).toBe(false);
  });

  it("fails with a message saying what to do when there is no card to charge or no customer, and when auto top-up was turned off", async () => {
    const { prisma } = await testStore();
    const noCard = await pendingTopUp({ defaultPaymentMethod: null });
    await sendOrgTopUps(prisma, noCard.scene.orgId, at(2));
    expect(await topUpsOf(noCard.scene.orgId)).toMatchObject([{ status: "failed", failure: expect.stringMatching(/no default payment method: add one with Update payment method/) }]);

    const noCustomer = await pendingTopUp();
    await prisma.org.update({ where: { id: noCustomer.scene.orgId }, data: { stripeCustomerId: null } });
    await sendOrgTopUps(prisma, noCustomer.scene.orgId, at(2));
    expect(await topUpsOf(noCustomer.scene.orgId)).toMatchObject([{ status: "failed", failure: expect.stringMatching(/^No payment method is on file/) }]);

    const turnedOff = await pendingTopUp();
    await prisma.autoTopUpSettings.update({ where: { orgId: turnedOff.scene.orgId }, data: { enabled: false } });
    await sendOrgTopUps(prisma, turnedOff.scene.orgId, at(2));
    expect(await topUpsOf(turnedOff.scene.orgId)).toMatchObject([{ status: "failed", failure: expect.stringMatching(/turned off before this top-up was sent/) }]);

    expect([...intentRequests(noCard.scene.orgId), ...intentRequests(noCustomer.scene.orgId), ...intentRequests(turnedOff.scene.orgId)]).toEqual([]);
    for (const { scene } of [noCard, noCustomer, turnedOff]) {
      expect(await notices(scene)).toHaveLength(2);
      expect(await aiPaused(scene.orgId)).toBe(false);
    }
  });

  it("gives up on a top-up it could not send within a day rather than risk a second charge", async () => {
    const { scene } = await pendingTopUp();
    const { prisma } = await testStore();
    await sendOrgTopUps(prisma, scene.orgId, at(24 * 60));
    expect(await topUpsOf(scene.orgId)).toMatchObject([{ status: "failed", failure: expect.stringMatching(/within a day/) }]);
    expect(intentRequests(scene.orgId)).toEqual([]);
  });
});

describe("payment_intent.succeeded", () => {
  it("grants the top-up once however often it is delivered, marks it succeeded and audits it", async () => {
    const { scene, topUp } = await pendingTopUp();
    const { prisma } = await testStore();
    await sendOrgTopUps(prisma, scene.orgId, at(2));
    const [intent] = intentsOf(scene.orgId);
    const event = topUpEvent(scene, topUp, "payment_intent.succeeded", { paymentIntentId: intent.id });
    for (let i = 0; i < 3; i++) expect((await deliver(event)).status).toBe(200);
    // Another event about the same payment (a resend under a new id) grants nothing either.
    expect((await deliver(topUpEvent(scene, topUp, "payment_intent.succeeded", { paymentIntentId: intent.id }))).status).toBe(200);

    expect(await balance(scene.orgId)).toBe(34.25 * USD);
    expect(await topUpsOf(scene.orgId)).toMatchObject([{ status: "succeeded", paymentIntentId: intent.id }]);
    const grants = await prisma.creditGrant.findMany({ where: { orgId: scene.orgId, source: "top_up" } });
    expect(grants).toMatchObject([{ reference: `top-up:${topUp.id}`, amountMicros: BigInt(25 * USD), expiresAt: null }]);
    expect(await prisma.creditLedger.count({ where: { orgId: scene.orgId, reference: `top-up:${topUp.id}` } })).toBe(1);
    expect((await auditTrail(scene.orgId)).filter((a) => a.action === "auto_top_up_succeeded")).toMatchObject([
      { actor: `stripe:${event.id}`, before: { balanceMicros: 9.25 * USD }, after: { balanceMicros: 34.25 * USD, amountMicros: 25 * USD, topUpId: topUp.id, paymentIntentId: intent.id } },
    ]);
    // A failure reported after the success changes nothing.
    await deliver(topUpEvent(scene, topUp, "payment_intent.payment_failed", { paymentIntentId: intent.id, lastPaymentError: "late" }));
    expect(await topUpsOf(scene.orgId)).toMatchObject([{ status: "succeeded" }]);
    expect(await notices(scene)).toEqual([]);
  });

  it("credits a top-up Stripe confirms before the sender has marked it sent, and one the sender had given up on", async () => {
    const early = await pendingTopUp();
    await succeed(early.scene, early.topUp);
    expect(await topUpsOf(early.scene.orgId)).toMatchObject([{ status: "succeeded" }]);

    const late = await pendingTopUp();
    const { prisma } = await testStore();
    await prisma.creditTopUp.updateMany({ where: { orgId: late.scene.orgId }, data: { status: "failed", failure: "gave up" } });
    await succeed(late.scene, late.topUp);
    expect(await topUpsOf(late.scene.orgId)).toMatchObject([{ status: "succeeded", failure: null }]);
    expect(await balance(late.scene.orgId)).toBe(34.25 * USD);
  });

  it("leaves payment intents that are not top-ups, or name an org the customer is not linked to, alone", async () => {
    const { scene, topUp } = await pendingTopUp();
    const purchase = paymentIntentObject({ customer: scene.customer, amountCents: 5000, metadata: creditPurchaseMetadataFor(scene.orgId, 50 * USD) });
    expect((await deliver(stripeEvent("payment_intent.succeeded", purchase, { created: new Date() }))).status).toBe(200);

    const other = await pendingTopUp();
    // The other org's customer, naming this org's top-up.
    const forged = topUpEvent({ ...scene, customer: other.scene.customer }, topUp, "payment_intent.succeeded");
    expect((await deliver(forged)).status).toBe(200);
    expect(await balance(scene.orgId)).toBe(9.25 * USD);
    expect(await topUpsOf(scene.orgId)).toMatchObject([{ status: "pending" }]);
  });
});

describe("payment_intent.payment_failed", () => {
  it("fails a sent top-up and tells each admin, and never pauses AI", async () => {
    const { scene, topUp } = await pendingTopUp();
    const { prisma } = await testStore();
    await sendOrgTopUps(prisma, scene.orgId, at(2));
    const [intent] = intentsOf(scene.orgId);
    const event = topUpEvent(scene, topUp, "payment_intent.payment_failed", { paymentIntentId: intent.id, lastPaymentError: "Your card has insufficient funds." });
    expect((await deliver(event)).status).toBe(200);
    expect((await deliver(event)).status).toBe(200);

    expect(await topUpsOf(scene.orgId)).toMatchObject([{ status: "failed", failure: "Stripe could not charge the saved payment method: Your card has insufficient funds." }]);
    expect((await notices(scene)).map((n) => n.userId)).toEqual([scene.superAdmin, scene.admin].sort());
    expect(await listNotifications(prisma, { orgId: scene.orgId, userId: scene.manager, role: "manager" })).toEqual([]);
    expect((await auditTrail(scene.orgId)).filter((a) => a.action === "auto_top_up_failed")).toMatchObject([{ actor: `stripe:${event.id}` }]);
    expect(await aiPaused(scene.orgId)).toBe(false);
    expect(await balance(scene.orgId)).toBe(9.25 * USD);
    // The org is not stuck: nothing is outstanding, so the next crossing buys again.
    expect((await prisma.creditTopUp.count({ where: { orgId: scene.orgId, status: { in: ["pending", "sent"] } } }))).toBe(0);
  });
});

describe.skipIf(!onServer)("racing deliveries (real Postgres)", () => {
  it("credits once when Stripe delivers the success many times at once, under several event ids", async () => {
    const { scene, topUp } = await pendingTopUp();
    const { prisma } = await testStore();
    await sendOrgTopUps(prisma, scene.orgId, at(2));
    const [intent] = intentsOf(scene.orgId);
    const events = Array.from({ length: 5 }, () => topUpEvent(scene, topUp, "payment_intent.succeeded", { paymentIntentId: intent.id }));
    const responses = await Promise.all([...events, ...events].map((event) => deliver(event)));
    expect(new Set(responses.map((r) => r.status))).toEqual(new Set([200]));
    expect(await balance(scene.orgId)).toBe(34.25 * USD);
    expect((await auditTrail(scene.orgId)).filter((a) => a.action === "auto_top_up_succeeded")).toHaveLength(1);
  });

  it("a success racing the settles of a new crossing neither deadlocks nor loses a top-up", async () => {
    const { scene, topUp } = await pendingTopUp();
    const { sql } = await testStore();
    const holds = [];
    for (let i = 0; i < 10; i++) {
      holds.push(await authorizeAi(sql, { orgId: scene.orgId, userId: scene.user, feature: "chat", model: "claude-opus-4-1", inputTokens: 0, maxOutputTokens: 10_000 }, at(3)));
    }
    await Promise.all([
      succeed(scene, topUp),
      ...holds.map((hold, i) => settleAi(sql, { orgId: scene.orgId, authorizationId: hold.authorizationId, inputTokens: 0, outputTokens: 10_000 }, undefined, new Date(at(4).getTime() + i))),
    ]);
    // $9.25 + $25 - $7.50 in whichever order: credited once, and no new crossing (the balance was below, or is well above).
    expect(await balance(scene.orgId)).toBe(26.75 * USD);
    expect((await topUpsOf(scene.orgId)).map((t) => t.status)).toEqual(["succeeded"]);
    expect(await ledgerMismatches(scene.orgId)).toEqual([]);
  });
});
