import { expect, test } from "./support/own-org";
import { PERSONAS } from "./support/personas";

/**
 * Admin > API keys and Admin > Alerts, each on a fresh copy of a demo org of
 * the test's own (support/own-org.ts): the keys and the webhook they add are
 * new to the org on every attempt, a retry included.
 */

/** On Beta Labs: a new key is shown once, works, shows its last use, and is 401 once revoked. */
test("create a key, use it, revoke it", async ({ page, ownOrg }) => {
  page.on("dialog", (dialog) => dialog.accept());
  const betaLabs = await ownOrg("org_beta_labs");
  const name = `E2E key ${Date.now()}`;
  await betaLabs.signIn(page, PERSONAS.betaLabsAdmin, "/admin/api-keys");
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

test("alerts: an admin sets the webhook URL and sees its signing secret", async ({ page, ownOrg }) => {
  const summit = await ownOrg("org_summit");
  await summit.signIn(page, PERSONAS.summitAdmin, "/admin/alerts");
  // A fresh org has no webhook yet, so the button adds one.
  await page.getByLabel("Webhook URL").fill("ftp://hooks.summit.test/ledgerline");
  await page.getByRole("button", { name: "Add webhook" }).click();
  await expect(page.getByText("Enter a full http:// or https:// URL.")).toBeVisible();
  await page.getByLabel("Webhook URL").fill("https://hooks.summit.test/ledgerline");
  await page.getByRole("button", { name: "Add webhook" }).click();
  await expect(page.getByTestId("webhook-message")).toHaveText("Saved. New alerts are posted to this URL.");
  await page.getByText("Signing secret").click();
  await expect(page.getByTestId("webhook-secret")).toHaveText(/^llsig_[\w-]{40,}$/);
});
