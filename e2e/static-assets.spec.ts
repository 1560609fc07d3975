import { expect, test } from "@playwright/test";

test("pages ask for nothing that is missing: the favicon is served", async ({ page }) => {
  const missing: string[] = [];
  page.on("response", (response) => {
    if (response.status() === 404) missing.push(response.url());
  });
  await page.goto("/signin");
  const icon = await page.request.get("/favicon.ico");
  expect(icon.status()).toBe(200);
  expect(icon.headers()["content-type"]).toMatch(/^image\//);
  // Chromium asks for /favicon.ico on its own once the page has loaded.
  await page.waitForLoadState("networkidle");
  expect(missing).toEqual([]);
});
