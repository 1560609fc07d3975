import { expect, type Page } from "@playwright/test";

/**
 * The demo people (lib/demo/orgs.ts). Specs that only read sign in as them on
 * the shared demo orgs; a test that changes data signs in as their copies in
 * an org of its own (own-org.ts), naming them by these ids.
 */
export const PERSONAS = {
  acmeSuperAdmin: "user_ada",
  acmeAdmin: "user_alan",
  acmeManager: "user_grace",
  /** Has a personal allocation, nearly used up: $9.50 of $10 AI, 96 of 100 enrichments. */
  acmeUserWithAllocation: "user_linus",
  /** Shares the org pool. */
  acmeUserSharingPool: "user_margaret",
  northwindAdmin: "user_nina",
  freebieAdmin: "user_fred",
  summitAdmin: "user_sam",
  betaLabsUser: "user_bella",
  betaLabsAdmin: "user_ben",
} as const;

/** Signs in through the demo sign-in page, one click, and lands on `path`. */
export async function signInAs(page: Page, userId: string, path = "/settings/usage") {
  await page.goto(`/signin?callbackUrl=${encodeURIComponent(path)}`);
  await page.locator(`button[data-user-id="${userId}"]`).click();
  await page.waitForURL((url) => url.pathname === path);
  await expect(page.getByTestId("user-name")).toBeVisible();
}
