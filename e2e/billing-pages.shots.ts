import { test } from "@playwright/test";
import { PERSONAS, signInAs } from "./support/personas";

/**
 * `npm run screenshots`: the billing pages for review (e2e/screenshots/, not committed), at
 * desktop and phone widths. A script, not a test: it asserts nothing, and `npm run test:e2e`
 * does not run it.
 */
const WIDTHS = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } };
const SHOTS = [
  { name: "settings-acme-admin", userId: PERSONAS.acmeAdmin, path: "/settings/billing" },
  { name: "settings-acme-user", userId: PERSONAS.acmeUserSharingPool, path: "/settings/billing" },
  { name: "settings-northwind-admin", userId: PERSONAS.northwindAdmin, path: "/settings/billing" },
  { name: "admin-acme-admin-change", userId: PERSONAS.acmeAdmin, path: "/admin/billing", query: "?plan=business" },
  { name: "admin-acme-manager-change", userId: PERSONAS.acmeManager, path: "/admin/billing", query: "?plan=business" },
];

for (const [device, viewport] of Object.entries(WIDTHS)) {
  for (const shot of SHOTS) {
    test(`billing page, ${shot.name}, ${device}`, async ({ page }) => {
      await page.setViewportSize(viewport);
      await signInAs(page, shot.userId, shot.path);
      if (shot.query) await page.goto(`${shot.path}${shot.query}`);
      await page.getByRole("heading", { name: "Subscription" }).waitFor();
      await page.screenshot({ path: `e2e/screenshots/billing-${shot.name}-${device}.png`, fullPage: true });
    });
  }
}
