import { expect, test } from "@playwright/test";
import { PERSONAS, signInAs } from "./support/personas";

test("pages send a signed-out visitor to sign-in and back", async ({ page }) => {
  await page.goto("/admin/billing");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fadmin%2Fbilling$/);
  await page.locator(`button[data-user-id="${PERSONAS.acmeSuperAdmin}"]`).click();
  await expect(page).toHaveURL(/\/admin\/billing$/);
});

test("a signed-out visit to any protected page answers 307 to sign-in before anything streams", async ({ request }) => {
  for (const path of ["/settings/usage", "/settings/billing", "/admin/members", "/admin/billing", "/notifications", "/signup/plan"]) {
    const response = await request.get(path, { maxRedirects: 0 });
    expect(response.status(), path).toBe(307);
    const location = new URL(response.headers().location, "http://relative.invalid");
    expect(`${location.pathname}${location.search}`, path).toBe(`/signin?callbackUrl=${encodeURIComponent(path)}`);
  }
  expect((await request.get("/signin", { maxRedirects: 0 })).status()).toBe(200);
});

test("the header names the org and the person, and signs out", async ({ page }) => {
  await signInAs(page, PERSONAS.northwindAdmin);
  await expect(page.getByTestId("org-name")).toHaveText("Northwind");
  await expect(page.getByTestId("user-name")).toHaveText("Nina Simone");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin/);
  await page.goto("/settings/usage");
  await expect(page).toHaveURL(/\/signin/);
});

test("a session cookie copied before sign-out no longer opens /settings/usage after sign-out", async ({ page, browser }) => {
  await signInAs(page, PERSONAS.northwindAdmin);
  const copy = await browser.newContext();
  await copy.addCookies(await page.context().cookies());
  const thief = await copy.newPage();
  await thief.goto("/settings/usage");
  await expect(thief.getByTestId("user-name")).toHaveText("Nina Simone"); // the copy works while the session lives

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin/);
  await thief.goto("/settings/usage");
  await expect(thief).toHaveURL(/\/signin\?callbackUrl=%2Fsettings%2Fusage$/);
  await copy.close();
});
