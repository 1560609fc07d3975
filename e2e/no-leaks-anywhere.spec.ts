import { expect, test } from "@playwright/test";
import { leaksIn } from "./support/leaks";
import { PERSONAS, signInAs } from "./support/personas";

/**
 * Plain users (and managers) never receive a dollar figure or an internal
 * model name, on any page: the HTML, the RSC payload and the rendered text of
 * every page they can open, and the 403 pages of those they cannot.
 */
const PAGES = [
  "/settings/usage",
  "/settings/billing",
  "/signup/plan",
  "/notifications",
  "/admin/billing",
  "/admin/usage-limits",
  "/admin/members",
  "/admin/api-keys",
  "/admin/alerts",
  "/admin/audit",
  "/admin/mail-outbox",
];

for (const [persona, userId] of [
  ["a user sharing the pool", PERSONAS.acmeUserSharingPool],
  ["a user with an allocation", PERSONAS.acmeUserWithAllocation],
  ["a manager", PERSONAS.acmeManager],
  ["Northwind's user", "user_nate"],
] as const) {
  test(`${persona} receives no dollar figure and no model name on any page`, async ({ page }) => {
    await signInAs(page, userId);
    for (const path of PAGES) {
      const response = await page.goto(path);
      expect([200, 403], `${path} answered ${response?.status()}`).toContain(response?.status());
      expect(leaksIn(await page.content()), `${path} (HTML)`).toEqual([]);
      expect(leaksIn(await page.locator("body").innerText()), `${path} (text)`).toEqual([]);
      const rsc = await page.request.get(path, { headers: { RSC: "1" } });
      expect(leaksIn(await rsc.text()), `${path} (RSC payload)`).toEqual([]);
    }
  });
}

test("the detector sees dollars where they belong: an admin's billing page", async ({ page }) => {
  await signInAs(page, PERSONAS.acmeAdmin, "/settings/billing");
  expect(leaksIn(await page.content()).some((leak) => leak.startsWith("dollar amount"))).toBe(true);
});
