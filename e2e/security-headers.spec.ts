import { expect, test } from "@playwright/test";
import { PERSONAS, signInAs } from "./support/personas";

test("pages carry a nonce CSP that the page's own scripts satisfy", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  const response = await page.goto("/signin");
  const csp = response!.headers()["content-security-policy"];
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  expect(response!.headers()["x-frame-options"]).toBe("DENY");
  expect(response!.headers()["referrer-policy"]).toBe("strict-origin-when-cross-origin");

  // The Usage page hydrates and its client components work under the policy.
  await signInAs(page, PERSONAS.acmeAdmin);
  await page.getByRole("switch", { name: /Show \$/ }).click();
  await expect(page.getByRole("switch", { name: /Show \$/ })).toHaveAttribute("aria-checked", "true");
  expect(violations).toEqual([]);
});

test("API responses carry the security headers too", async ({ request }) => {
  const response = await request.get("/api/health");
  expect(response.status()).toBe(200);
  expect(response.headers()["x-frame-options"]).toBe("DENY");
  expect(response.headers()["x-content-type-options"]).toBe("nosniff");
  expect(response.headers()["x-powered-by"]).toBeUndefined();
});
