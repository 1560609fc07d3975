import { leaksIn } from "./support/leaks";
import { expect, test } from "./support/own-org";
import { PERSONAS } from "./support/personas";

/**
 * Settings > Billing's auto top-up card on a fresh copy of Acme of the test's
 * own (support/own-org.ts), so what it saves starts as seeded on every
 * attempt: an admin's form keeps what was saved across a reload and refuses
 * bad input without saving it; a plain user reads the setting as text, with
 * no form and no dollar figure. Saving asks nothing of Stripe, so the
 * placeholder key of the e2e server does not matter here.
 */

test("an admin saves auto top-up and sees the saved values after a reload; bad input is refused and changes nothing", async ({ page, ownOrg }) => {
  const acme = await ownOrg("org_acme");
  await acme.signIn(page, PERSONAS.acmeAdmin, "/settings/billing");
  const form = page.getByRole("form", { name: "Auto top-up settings" });
  // Never saved: off, with the defaults.
  await expect(form.getByLabel("Turn on auto top-up")).not.toBeChecked();
  await expect(form.getByLabel("When credits fall below ($)")).toHaveValue("10.00");
  await expect(form.getByLabel("Buy ($)")).toHaveValue("50.00");
  await expect(form.getByLabel("At most a month ($)")).toHaveValue("200.00");

  // A fraction of a cent, and a cap below one top-up: each field says what is wrong, and nothing is saved.
  await form.getByLabel("Turn on auto top-up").check();
  await form.getByLabel("Buy ($)").fill("40.005");
  await form.getByRole("button", { name: "Save auto top-up" }).click();
  await expect(form.getByText("Enter an amount in dollars, such as 50 or 49.99.")).toBeVisible();
  await expect(form.getByLabel("Buy ($)")).toHaveValue("40.005");
  await form.getByLabel("Buy ($)").fill("40");
  await form.getByLabel("At most a month ($)").fill("39.99");
  await form.getByRole("button", { name: "Save auto top-up" }).click();
  await expect(form.getByText("The monthly cap must allow at least one top-up: make it at least the amount to buy.")).toBeVisible();
  await page.reload();
  await expect(form.getByLabel("Turn on auto top-up")).not.toBeChecked();
  await expect(form.getByLabel("Buy ($)")).toHaveValue("50.00");

  // Saved: the rule in words, and the same values after a reload.
  await form.getByLabel("Turn on auto top-up").check();
  await form.getByLabel("When credits fall below ($)").fill("15");
  await form.getByLabel("Buy ($)").fill("$40.50");
  await form.getByLabel("At most a month ($)").fill("120");
  await form.getByRole("button", { name: "Save auto top-up" }).click();
  await expect(page.getByTestId("auto-top-up-message")).toContainText("Saved. When credits fall below $15.00, $40.50 is bought, at most $120.00 a month.");
  await page.reload();
  await expect(form.getByLabel("Turn on auto top-up")).toBeChecked();
  await expect(form.getByLabel("When credits fall below ($)")).toHaveValue("15.00");
  await expect(form.getByLabel("Buy ($)")).toHaveValue("40.50");
  await expect(form.getByLabel("At most a month ($)")).toHaveValue("120.00");

  // Turned off again: kept off after a reload, the amounts kept for next time.
  await form.getByLabel("Turn on auto top-up").uncheck();
  await form.getByRole("button", { name: "Save auto top-up" }).click();
  await expect(page.getByTestId("auto-top-up-message")).toHaveText("Saved. Auto top-up is off.");
  await page.reload();
  await expect(form.getByLabel("Turn on auto top-up")).not.toBeChecked();
  await expect(form.getByLabel("When credits fall below ($)")).toHaveValue("15.00");
});

test("a plain user sees auto top-up as text, with no form and no dollar figure", async ({ page, browser, ownOrg }) => {
  const acme = await ownOrg("org_acme");
  const admin = await browser.newPage();
  await acme.signIn(admin, PERSONAS.acmeAdmin, "/settings/billing");
  const form = admin.getByRole("form", { name: "Auto top-up settings" });
  await form.getByLabel("Turn on auto top-up").check();
  await form.getByRole("button", { name: "Save auto top-up" }).click();
  await expect(admin.getByTestId("auto-top-up-message")).toContainText("Saved. When credits fall below $10.00");
  await admin.close();

  await acme.signIn(page, PERSONAS.acmeUserSharingPool, "/settings/billing");
  const card = page.getByTestId("auto-top-up");
  await expect(card.getByTestId("auto-top-up-state")).toHaveText("Auto top-up is on. Admins set when and how much it buys.");
  await expect(page.locator("main form")).toHaveCount(0);
  await expect(card.locator("input")).toHaveCount(0);
  await expect(card.getByRole("button")).toHaveCount(0);
  expect(leaksIn(await page.content())).toEqual([]);
  const rsc = await page.request.get("/settings/billing", { headers: { RSC: "1" } });
  const payload = await rsc.text();
  expect(payload).toContain("Auto top-up is on.");
  expect(leaksIn(payload)).toEqual([]);
  expect(payload).not.toContain("orgId");
});
