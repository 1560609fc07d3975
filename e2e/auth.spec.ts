import { expect, test } from "@playwright/test";
import { PERSONAS, signInAs } from "./support/personas";

test("pages send a signed-out visitor to sign-in and back", async ({ page }) => {
  await page.goto("/admin/billing");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fadmin%2Fbilling$/);
  await page.locator(`button[data-user-id="${PERSONAS.acmeSuperAdmin}"]`).click();
  await expect(page).toHaveURL(/\/admin\/billing$/);
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
