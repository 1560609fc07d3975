import { describe, expect, it } from "vitest";
import { creditPurchaseMetadataFor } from "@/lib/stripe/credit-purchase";
import { createOrg, onServer, testStore } from "../support/store";
import { checkoutSessionObject, stripeEvent } from "../support/stripe-objects";
import { auditTrail, deliver, recordedEvents } from "../support/stripe-webhook";

/** checkout.session.completed for a credit purchase: a ledger grant, once, and the balance always the ledger's sum. */

const USD = 1_000_000;

async function credits(orgId: string) {
  const store = await testStore();
  const [account] = await store.sql.query<{ balance: string }>(`SELECT balance_micros::text AS balance FROM credit_accounts WHERE org_id = $1`, [orgId]);
  const [ledger] = await store.sql.query<{ total: string | null; rows: string }>(
    `SELECT SUM(amount_micros)::text AS total, COUNT(*)::text AS rows FROM credit_ledger WHERE org_id = $1`,
    [orgId],
  );
  return { balance: Number(account?.balance ?? 0), ledgerSum: Number(ledger.total ?? 0), rows: Number(ledger.rows) };
}

const purchase = (orgId: string, amountMicros: number, options: { id?: string; paymentStatus?: "paid" | "unpaid" } = {}) =>
  checkoutSessionObject({ metadata: creditPurchaseMetadataFor(orgId, amountMicros), ...options });

describe("credit purchases", () => {
  it("grants the purchased amount through a ledger row referenced by the session id, and audits it", async () => {
    const { orgId } = await createOrg({ creditMicros: 5 * USD });
    const session = purchase(orgId, 20 * USD);
    const event = stripeEvent("checkout.session.completed", session, { created: new Date() });
    expect((await deliver(event)).status).toBe(200);

    expect(await credits(orgId)).toEqual({ balance: 25 * USD, ledgerSum: 25 * USD, rows: 2 });
    const store = await testStore();
    expect(await store.sql.query(`SELECT kind, amount_micros::text AS amount FROM credit_ledger WHERE org_id = $1 AND reference = $2`, [orgId, session.id]))
      .toEqual([{ kind: "grant", amount: String(20 * USD) }]);
    expect(await recordedEvents(event.id)).toMatchObject([{ orgId }]);
    const [grant] = await auditTrail(orgId);
    expect(grant).toMatchObject({
      action: "credits_granted",
      actor: `stripe:${event.id}`,
      before: { balanceMicros: 5 * USD },
      after: { balanceMicros: 25 * USD, amountMicros: 20 * USD, checkoutSessionId: session.id },
    });
  });

  it("grants once across a replay and the async-payment event of the same session", async () => {
    const { orgId } = await createOrg();
    const session = purchase(orgId, 10 * USD);
    const completed = stripeEvent("checkout.session.completed", session, { created: new Date() });
    await deliver(completed);
    await deliver(completed);
    await deliver(stripeEvent("checkout.session.async_payment_succeeded", session, { created: new Date() }));
    expect(await credits(orgId)).toEqual({ balance: 10 * USD, ledgerSum: 10 * USD, rows: 1 });
    expect((await auditTrail(orgId)).map((a) => a.action)).toEqual(["credits_granted"]);
  });

  it("waits for the money when the payment settles later", async () => {
    const { orgId } = await createOrg();
    const id = `cs_test_async_${Date.now()}`;
    await deliver(stripeEvent("checkout.session.completed", purchase(orgId, 10 * USD, { id, paymentStatus: "unpaid" }), { created: new Date() }));
    expect(await credits(orgId)).toMatchObject({ balance: 0, rows: 0 });
    await deliver(stripeEvent("checkout.session.async_payment_succeeded", purchase(orgId, 10 * USD, { id }), { created: new Date() }));
    expect(await credits(orgId)).toEqual({ balance: 10 * USD, ledgerSum: 10 * USD, rows: 1 });
  });

  it("leaves plan checkouts to the subscription events", async () => {
    const { orgId } = await createOrg();
    const event = stripeEvent("checkout.session.completed", checkoutSessionObject({ metadata: { orgId, purpose: "plan" } }), { created: new Date() });
    expect((await deliver(event)).status).toBe(200);
    expect(await credits(orgId)).toMatchObject({ balance: 0, rows: 0 });
    // Recorded under the org it names, acted on by nobody.
    expect(await recordedEvents(event.id)).toMatchObject([{ orgId }]);
  });
});

describe.skipIf(!onServer)("concurrent purchases (real Postgres)", () => {
  it("keeps the balance equal to the ledger's sum under 20 purchases and their duplicates at once", async () => {
    const { orgId } = await createOrg();
    const events = Array.from({ length: 20 }, (_, i) => stripeEvent("checkout.session.completed", purchase(orgId, (i + 1) * USD), { created: new Date() }));
    const responses = await Promise.all([...events, ...events].map((event) => deliver(event)));
    expect(new Set(responses.map((r) => r.status))).toEqual(new Set([200]));
    expect(await credits(orgId)).toEqual({ balance: 210 * USD, ledgerSum: 210 * USD, rows: 20 });
    expect((await auditTrail(orgId)).filter((a) => a.action === "credits_granted")).toHaveLength(20);
  });
});
