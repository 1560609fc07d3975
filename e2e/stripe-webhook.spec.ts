import type { APIRequestContext, Page } from "@playwright/test";
import Stripe from "stripe";
import { invoiceObject, stripeEvent } from "../tests/support/stripe-objects";
import { expect, test, type OwnOrg } from "./support/own-org";
import { PERSONAS } from "./support/personas";

/**
 * Stripe's payment news reaching a running app: signed events posted to the
 * webhook pause and restore Northwind's AI, seen from its API key (402 or
 * 200) and by its admin (the red banner). Northwind is seeded paused, so the
 * test restores it, pauses it, and restores it again.
 *
 * It does so on a fresh copy of Northwind of its own (support/own-org.ts):
 * every attempt, a retry included, starts paused as seeded, and the shared
 * Northwind the persona specs read is never touched. The demo seed links no
 * org to Stripe, and invoice events act only on the org's current
 * subscription: the test links its copy to a customer and a subscription of
 * its own first. (Seeding fake ids instead would make a real test-mode
 * account fail on them: the Portal would be opened for a customer that
 * account does not have.)
 */

interface Linked {
  org: OwnOrg;
  customer: string;
  subscription: string;
}

/** Each event a second after the previous one: payment news older than the newest applied is ignored. */
let clock = Math.floor(Date.now() / 1000) - 60;

async function postInvoiceEvent(request: APIRequestContext, { customer, subscription }: Linked, type: "invoice.paid" | "invoice.payment_failed", secret = process.env.E2E_STRIPE_WEBHOOK_SECRET!) {
  clock += 1;
  const invoice = invoiceObject({ customer, subscription, nextPaymentAttempt: null, status: type === "invoice.paid" ? "paid" : "open" });
  const payload = JSON.stringify(stripeEvent(type, invoice, { created: clock }));
  const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret });
  return request.post("/api/webhooks/stripe", { data: payload, headers: { "content-type": "application/json", "stripe-signature": signature } });
}

/** What Northwind's backend gets when it asks to spend on AI; a granted hold is released again. */
async function authorizeAi(request: APIRequestContext, { org }: Linked) {
  const headers = { authorization: `Bearer ${org.apiKey}` };
  const response = await request.post("/api/v1/ai/authorize", {
    headers,
    data: { userId: org.userId(PERSONAS.northwindAdmin), feature: "chat", model: "gpt-4.1", inputTokens: 1_000, maxOutputTokens: 200 },
  });
  const body = await response.json();
  if (response.status() === 200) {
    const released = await request.post("/api/v1/ai/release", { headers, data: { authorizationId: body.authorizationId } });
    expect(released.status()).toBe(200);
  }
  return { status: response.status(), code: body.error?.code as string | undefined };
}

async function expectBanner(page: Page, shown: boolean) {
  await page.goto("/settings/usage");
  await expect(page.getByRole("heading", { name: "AI usage this cycle" })).toBeVisible();
  await expect(page.getByTestId("paused-banner")).toHaveCount(shown ? 1 : 0);
}

test("a retries-exhausted payment failure pauses Northwind's AI and invoice.paid restores it", async ({ page, request, ownOrg, e2eStore }) => {
  const org = await ownOrg("org_northwind");
  const northwind: Linked = { org, customer: `cus_e2e_${org.orgId}`, subscription: `sub_e2e_${org.orgId}` };
  await e2eStore.sql.query(`UPDATE orgs SET stripe_customer_id = $2, stripe_subscription_id = $3 WHERE id = $1`, [org.orgId, northwind.customer, northwind.subscription]);
  await org.signIn(page, PERSONAS.northwindAdmin);

  // As seeded: paused.
  expect(await authorizeAi(request, northwind)).toEqual({ status: 402, code: "ai_access_paused" });
  await expectBanner(page, true);

  // Restored by a paid invoice.
  expect((await postInvoiceEvent(request, northwind, "invoice.paid")).status()).toBe(200);
  expect((await authorizeAi(request, northwind)).status).toBe(200);
  await expectBanner(page, false);

  // An event that is not signed with the app's secret is refused and changes nothing.
  const forged = await postInvoiceEvent(request, northwind, "invoice.payment_failed", "whsec_someone_else");
  expect(forged.status()).toBe(400);
  expect((await forged.json()).error.code).toBe("invalid_signature");
  expect((await authorizeAi(request, northwind)).status).toBe(200);

  // Paused once Stripe's retries are exhausted: 402, the banner, and the billing page says so.
  expect((await postInvoiceEvent(request, northwind, "invoice.payment_failed")).status()).toBe(200);
  expect(await authorizeAi(request, northwind)).toEqual({ status: 402, code: "ai_access_paused" });
  await expectBanner(page, true);
  await expect(page.getByTestId("paused-banner")).toContainText("AI access is paused");
  await page.goto("/settings/billing");
  await expect(page.getByTestId("payment-alert")).toContainText("AI access is paused");

  // Restored again when the invoice is paid.
  expect((await postInvoiceEvent(request, northwind, "invoice.paid")).status()).toBe(200);
  expect((await authorizeAi(request, northwind)).status).toBe(200);
  await expectBanner(page, false);
});
