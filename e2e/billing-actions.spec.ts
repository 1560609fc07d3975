import { expect, test, type Page } from "@playwright/test";
import { leaksIn } from "./support/leaks";
import { PERSONAS, signInAs } from "./support/personas";

/**
 * The billing pages' actions per persona. The e2e server runs with the
 * demo's placeholder Stripe key, so every button answers that billing is not
 * connected: the app never calls Stripe here.
 */

const NOT_CONNECTED = "Billing is not connected in this environment, so nothing was sent to Stripe.";
const ACTION_BUTTONS = /Update payment method|Buy credits|Confirm (change|move)/;

const formsIn = (page: Page) => page.locator("main form");

test.describe("Acme admin", () => {
  test.beforeEach(async ({ page }) => signInAs(page, PERSONAS.acmeAdmin, "/settings/billing"));

  test("Settings > Billing: plan, payment, seats, credits with their ledger, and the actions", async ({ page }) => {
    await expect(page.getByTestId("billing-plan")).toHaveText("Pro");
    await expect(page.getByTestId("billing-price")).toHaveText("$49.00/month");
    await expect(page.getByTestId("next-reset")).toHaveText(/^[A-Z][a-z]{2} \d{1,2}$/);
    await expect(page.getByTestId("payment-state")).toContainText("In good standing");
    await expect(page.getByTestId("payment-alert")).toHaveCount(0);
    await expect(page.getByTestId("seats-power")).toContainText("3 of 5");
    await expect(page.getByTestId("seats-collaborator")).toContainText("2 of 10");
    await expect(page.getByTestId("credit-balance")).toHaveText("$25.00");
    await expect(page.getByTestId("credit-ledger").getByRole("row").nth(1)).toContainText(/Grant.*\+\$25\.00/);

    await expect(page.getByRole("button", { name: "Update payment method" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Buy credits" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Choose Business" })).toBeVisible();
  });

  test("each button explains that billing is not connected here, and the page carries on", async ({ page }) => {
    await page.getByRole("button", { name: "Update payment method" }).click();
    await expect(page.getByTestId("payment-method-message")).toHaveText(NOT_CONNECTED);

    await page.getByLabel("Amount to buy").fill("120.50");
    await page.getByRole("button", { name: "Buy credits" }).click();
    await expect(page.getByTestId("credit-purchase-message")).toHaveText(NOT_CONNECTED);

    await page.getByRole("link", { name: "Choose Business" }).click();
    const change = page.getByTestId("plan-change");
    await expect(change).toContainText("Change from Pro to Business");
    await expect(change).toContainText("Confirming opens Stripe Checkout");
    await change.getByLabel(/^Annual/).check();
    await change.getByRole("button", { name: "Confirm change to Business" }).click();
    await expect(page.getByTestId("plan-change-message")).toHaveText(NOT_CONNECTED);
    await expect(page).toHaveURL(/\/admin\/billing\?plan=business$/);
    await expect(page.getByTestId("billing-plan")).toHaveText("Pro");
  });

  test("Checkout's return is acknowledged without waiting for Stripe's event", async ({ page }) => {
    await page.goto("/settings/billing?credits=success");
    await expect(page.getByTestId("return-notice")).toContainText("The credits join the balance as soon as Stripe confirms the payment.");
    await page.goto("/admin/billing?checkout=canceled");
    await expect(page.getByTestId("return-notice")).toHaveText("Checkout was canceled; nothing was charged.");
  });
});

test.describe("Acme user", () => {
  test.beforeEach(async ({ page }) => signInAs(page, PERSONAS.acmeUserSharingPool, "/settings/billing"));

  test("sees the plan read-only: no form, no button, no dollar figure", async ({ page }) => {
    await expect(page.getByTestId("billing-plan")).toHaveText("Pro");
    await expect(page.getByTestId("credit-balance")).toHaveText("Available");
    await expect(page.getByText("Only admins can change the plan.")).toBeVisible();
    await expect(formsIn(page)).toHaveCount(0);
    await expect(page.getByRole("button", { name: ACTION_BUTTONS })).toHaveCount(0);
    await expect(page.getByRole("link", { name: /^Choose / })).toHaveCount(0);
    await expect(page.getByTestId("credit-ledger")).toHaveCount(0);
    expect(leaksIn(await page.content())).toEqual([]);

    const rsc = await page.request.get("/settings/billing", { headers: { RSC: "1" } });
    const payload = await rsc.text();
    expect(payload).toContain("Only admins can change the plan.");
    expect(leaksIn(payload)).toEqual([]);
    expect(payload).not.toContain("orgId");
  });

  test("is refused with 403 when posting an admin's billing action directly", async ({ page, browser }) => {
    // Record what an admin's browser posts for Update payment method...
    const admin = await browser.newPage();
    await signInAs(admin, PERSONAS.acmeAdmin, "/settings/billing");
    const [posted] = await Promise.all([
      admin.waitForRequest((r) => r.method() === "POST" && Boolean(r.headers()["next-action"])),
      admin.getByRole("button", { name: "Update payment method" }).click(),
    ]);
    await expect(admin.getByTestId("payment-method-message")).toHaveText(NOT_CONNECTED);
    const headers = await posted.allHeaders();
    await admin.close();

    // ...and send the same request with the user's session: the action itself refuses it.
    const response = await page.request.post("/settings/billing", {
      headers: { "next-action": headers["next-action"], "content-type": headers["content-type"], origin: headers.origin, accept: "text/x-component" },
      data: posted.postDataBuffer()!,
    });
    expect(response.status()).toBe(403);
    expect(await response.text()).not.toContain("billing.stripe");
  });
});

test("Acme manager: Admin > Billing shows the change but only an admin can confirm it; no dollars", async ({ page }) => {
  await signInAs(page, PERSONAS.acmeManager, "/admin/billing");
  await page.goto("/admin/billing?plan=business");
  const change = page.getByTestId("plan-change");
  await expect(change).toContainText("Change from Pro to Business");
  await expect(change).toContainText("Only an admin can confirm a plan change.");
  await expect(formsIn(page)).toHaveCount(0);
  await expect(page.getByRole("button", { name: ACTION_BUTTONS })).toHaveCount(0);
  expect(leaksIn(await page.content())).toEqual([]);
  expect(leaksIn(await (await page.request.get("/admin/billing?plan=business", { headers: { RSC: "1" } })).text())).toEqual([]);
});

test("Beta Labs user: the preview flag shows prices, still no actions", async ({ page }) => {
  await signInAs(page, PERSONAS.betaLabsUser, "/settings/billing");
  await expect(page.getByTestId("billing-price")).toHaveText("$49.00/month");
  await expect(page.getByTestId("credit-balance")).toHaveText("No prepaid credits");
  await expect(formsIn(page)).toHaveCount(0);
});

test("Northwind admin: the failed payment is the first thing on the billing page", async ({ page }) => {
  await signInAs(page, PERSONAS.northwindAdmin, "/settings/billing");
  const alert = page.getByTestId("payment-alert");
  await expect(alert).toHaveAttribute("data-tone", "danger");
  await expect(alert).toContainText("Payment failed");
  await expect(alert).toContainText("AI access is paused");
  await expect(page.getByRole("button", { name: "Update payment method" })).toBeVisible();
});
