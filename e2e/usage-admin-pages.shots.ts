import { test } from "@playwright/test";
import { PERSONAS, signInAs } from "./support/personas";

/**
 * `npm run screenshots`: the Usage and admin pages as each persona sees them, for review
 * (e2e/screenshots/, not committed), at desktop and phone widths. A script, not a test: it
 * asserts nothing, and `npm run test:e2e` does not run it.
 */
const WIDTHS = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } };
const SHOTS = [
  { name: "acme-admin", userId: PERSONAS.acmeAdmin },
  { name: "northwind-admin", userId: PERSONAS.northwindAdmin },
  { name: "acme-user", userId: PERSONAS.acmeUserSharingPool },
];

const ADMIN_PAGES = ["/admin/usage-limits", "/admin/members", "/admin/api-keys", "/admin/alerts", "/admin/audit", "/admin/mail-outbox", "/notifications"];

for (const [device, viewport] of Object.entries(WIDTHS)) {
  for (const path of ADMIN_PAGES) {
    test(`${path}, acme admin, ${device}`, async ({ page }) => {
      await page.setViewportSize(viewport);
      await signInAs(page, PERSONAS.acmeAdmin, path);
      await page.screenshot({ path: `e2e/screenshots/${path.slice(1).replaceAll("/", "-")}-${device}.png`, fullPage: true });
    });
  }

  for (const shot of SHOTS) {
    test(`usage page, ${shot.name}, ${device}`, async ({ page }) => {
      await page.setViewportSize(viewport);
      await signInAs(page, shot.userId);
      await page.locator("[data-testid^=history-] svg.recharts-surface").first().waitFor();
      await page.screenshot({ path: `e2e/screenshots/usage-${shot.name}-${device}.png`, fullPage: true });
    });
  }
}
