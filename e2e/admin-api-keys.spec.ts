import { expect, test } from "@playwright/test";
import { PERSONAS, signInAs } from "./support/personas";

/** Admin > API keys on Beta Labs: a new key is shown once, works, shows its last use, and is 401 once revoked. */
test("create a key, use it, revoke it", async ({ page }) => {
  page.on("dialog", (dialog) => dialog.accept());
  const name = `E2E key ${Date.now()}`;
  await signInAs(page, PERSONAS.betaLabsAdmin, "/admin/api-keys");
  await page.getByLabel("Key name").fill(name);
  await page.getByRole("button", { name: "Create key" }).click();
  const key = (await page.getByTestId("new-api-key").textContent())!;
  expect(key).toMatch(/^ll_live_[\w-]{40,}$/);

  const call = () => page.request.get("/api/v1/usage", { headers: { authorization: `Bearer ${key}` } });
  expect((await call()).status()).toBe(200);

  await page.reload();
  await expect(page.getByTestId("new-api-key")).toHaveCount(0); // shown once only
  const row = page.getByTestId(`api-key-${name}`);
  await expect(row).toContainText("Ben Okafor");
  await expect(row).not.toContainText("Never");
  expect(await page.content()).not.toContain(key);

  await row.getByRole("button", { name: "Revoke" }).click();
  await expect(row).toContainText("Revoked");
  expect((await call()).status()).toBe(401);
});

test("alerts: an admin sets the webhook URL and sees its signing secret", async ({ page }) => {
  await signInAs(page, PERSONAS.summitAdmin, "/admin/alerts");
  await page.getByLabel("Webhook URL").fill("ftp://hooks.summit.test/ledgerline");
  await page.getByRole("button", { name: /Add webhook|Save URL/ }).click();
  await expect(page.getByText("Enter a full http:// or https:// URL.")).toBeVisible();
  await page.getByLabel("Webhook URL").fill("https://hooks.summit.test/ledgerline");
  await page.getByRole("button", { name: /Add webhook|Save URL/ }).click();
  await expect(page.getByTestId("webhook-message")).toHaveText("Saved. New alerts are posted to this URL.");
  await page.getByText("Signing secret").click();
  await expect(page.getByTestId("webhook-secret")).toHaveText(/^llsig_[\w-]{40,}$/);
});
