import { expect, test } from "@playwright/test";

// The API reference renders the served OpenAPI document in the browser, under its own strict script policy.
test("the API reference renders every operation of the OpenAPI document", async ({ page }) => {
  const refused: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) refused.push(message.text());
  });
  const response = await page.goto("/api/docs");
  expect(response?.status()).toBe(200);
  await expect(page.getByRole("heading", { name: "Ledgerline enforcement API" }).first()).toBeVisible({ timeout: 20_000 });
  const document = (await (await page.request.get("/api/v1/openapi.json")).json()) as { paths: Record<string, Record<string, { summary: string }>> };
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item)) await expect(page.getByText(operation.summary).first()).toBeAttached();
  }
  expect(refused.filter((text) => /script/i.test(text))).toEqual([]);
});
