import { expect, test } from "@playwright/test";
import { renderedRgb } from "./support/colors";
import { PERSONAS, signInAs } from "./support/personas";

test("Northwind admin: red paused banner pointing to Settings > Billing, no Upgrade while unpaid", async ({ page }) => {
  await signInAs(page, PERSONAS.northwindAdmin);
  const banner = page.getByTestId("paused-banner");
  await expect(banner).toBeVisible();
  await expect(banner).toContainText("AI access is paused");
  const [r, g, b] = await renderedRgb(banner.locator("p").first(), "color");
  expect(r > 100 && g < 60 && b < 60, `banner text is red, got rgb(${r}, ${g}, ${b})`).toBe(true);
  await expect(page.getByRole("link", { name: "Upgrade" })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Manage Plan" })).toBeVisible();

  await banner.getByRole("link", { name: "Settings > Billing" }).click();
  await expect(page).toHaveURL(/\/settings\/billing$/);
  await expect(page.getByTestId("payment-state")).toContainText("Payment failed");
  await expect(page.getByText("Unpaid")).toBeVisible();
});

test("Freebie: Upgrade opens Signup > Choose your plan", async ({ page }) => {
  await signInAs(page, PERSONAS.freebieAdmin);
  await expect(page.getByTestId("plan-name")).toHaveText("Free");
  await page.getByRole("link", { name: "Upgrade" }).click();
  await expect(page).toHaveURL(/\/signup\/plan$/);
  await expect(page.getByText("Signup › Choose your plan")).toBeVisible();
  await expect(page.getByTestId("plan-free")).toContainText("Current plan");
});

test("Summit on Ultra: no Upgrade, uncapped meters read Unlimited", async ({ page }) => {
  await signInAs(page, PERSONAS.summitAdmin);
  await expect(page.getByTestId("plan-name")).toHaveText("Ultra");
  await expect(page.getByRole("link", { name: "Upgrade" })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Manage Plan" })).toBeVisible();
  await expect(page.getByTestId("meter-contacts")).toContainText("640K / Unlimited");
});

test("Beta Labs user: the preview flag gives the Show $ toggle", async ({ page }) => {
  await signInAs(page, PERSONAS.betaLabsUser);
  const toggle = page.getByRole("switch", { name: "Show $" });
  await expect(toggle).toBeVisible();
  await toggle.click();
  await expect(page.getByTestId("ai-budget-used")).toHaveText("$40.00 of $100.00");
  await expect(page.getByRole("link", { name: "Manage Plan" })).toHaveCount(0);
});

test("Acme manager: Manage Plan but no Show $", async ({ page }) => {
  await signInAs(page, PERSONAS.acmeManager);
  await expect(page.getByRole("link", { name: "Manage Plan" })).toHaveAttribute("href", "/admin/billing");
  await expect(page.getByRole("switch")).toHaveCount(0);
});

test("the plan card shows the plan's list price to every role, in every org", async ({ page }) => {
  for (const [userId, price] of [
    [PERSONAS.acmeSuperAdmin, "$49.00/month"],
    [PERSONAS.acmeAdmin, "$49.00/month"],
    [PERSONAS.acmeManager, "$49.00/month"],
    [PERSONAS.acmeUserWithAllocation, "$49.00/month"],
    [PERSONAS.acmeUserSharingPool, "$49.00/month"],
    [PERSONAS.freebieAdmin, "$0.00/month"],
    [PERSONAS.summitAdmin, "$799.00/month"],
    [PERSONAS.betaLabsUser, "$49.00/month"],
  ] as const) {
    await page.context().clearCookies();
    await signInAs(page, userId);
    await expect(page.getByTestId("plan-price"), userId).toHaveText(price);
  }
});
