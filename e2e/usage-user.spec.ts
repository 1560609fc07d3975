import { spendAi } from "./support/demo-api";
import { leaksIn } from "./support/leaks";
import { expect, test } from "./support/own-org";
import { PERSONAS, signInAs } from "./support/personas";

test.describe("Acme user sharing the pool", () => {
  test.beforeEach(async ({ page }) => signInAs(page, PERSONAS.acmeUserSharingPool));

  test("gets percentages only: no toggle, no Manage Plan, Ask an admin instead of Upgrade, but the plan's list price", async ({ page }) => {
    await expect(page.getByTestId("ai-budget-used")).toHaveText("70% of monthly AI pool");
    await expect(page.getByRole("switch")).toHaveCount(0);
    await expect(page.getByTestId("plan-name")).toHaveText("Pro");
    await expect(page.getByTestId("plan-price")).toHaveText("$49.00/month");
    await expect(page.getByRole("link", { name: "Upgrade" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Ask an admin to upgrade" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Manage Plan" })).toHaveCount(0);
    await expect(page.getByTestId("my-ai_budget")).toContainText("You share the organization pool");
    await expect(page.getByTestId("my-enrichments")).toContainText("You share the organization pool");
  });

  test("no dollar amount and no model name in the page source or the RSC payload", async ({ page }) => {
    const html = await (await page.request.get("/settings/usage")).text();
    expect(html).toContain("AI usage this cycle");
    expect(leaksIn(html)).toEqual([]);

    const rsc = await page.request.get("/settings/usage", { headers: { RSC: "1" } });
    expect(rsc.headers()["content-type"]).toContain("text/x-component");
    const payload = await rsc.text();
    expect(payload).toContain("AI usage this cycle");
    expect(leaksIn(payload)).toEqual([]);

    // And what the browser itself received while rendering.
    expect(leaksIn(await page.content())).toEqual([]);
  });

  test("Admin > Billing answers 403", async ({ page }) => {
    const response = await page.goto("/admin/billing");
    expect(response?.status()).toBe(403);
    await expect(page.getByText("You don't have access to this page")).toBeVisible();
  });

  test("Settings > Billing is read-only and shows no dollars", async ({ page }) => {
    await page.goto("/settings/billing");
    await expect(page.getByText("Only admins can change the plan.")).toBeVisible();
    await expect(page.getByRole("link", { name: /^Choose / })).toHaveCount(0);
    expect(leaksIn(await page.content())).toEqual([]);
  });
});

// Spends AI, so on a fresh copy of Acme of its own (support/own-org.ts): every attempt, a retry
// included, starts at the seeded $9.50, and the shared Acme the other specs read stays at 70%.
test("Acme user with a personal allocation: nearly used, then used up with the 429 explanation", async ({ page, ownOrg }) => {
  const acme = await ownOrg("org_acme");
  await acme.signIn(page, PERSONAS.acmeUserWithAllocation);
  const ai = page.getByTestId("my-ai_budget");
  await expect(ai).toContainText("95% of your allocation");
  await expect(ai).toContainText("Personal allocation set by an admin");
  await expect(ai).toContainText("Nearly used up");
  await expect(ai.getByRole("progressbar")).toHaveAttribute("data-tone", "high");
  const enrichments = page.getByTestId("my-enrichments");
  await expect(enrichments).toContainText("96 of 100 enrichments");
  // Acme's enrichments are at 1,000 of 1,000: the pool, not Linus's allocation, refuses his next one.
  await expect(enrichments).toContainText("The organization pool is used up for this cycle: enrichments return a 429 error, even though your allocation has room.");
  await expect(enrichments).not.toContainText("Nearly used up");

  // Spend the last $0.50 of the $10 allocation: 250,000 input tokens at $2 per million.
  await spendAi(page.request, acme.apiKey, acme.userId(PERSONAS.acmeUserWithAllocation), { model: "gpt-4.1", inputTokens: 250_000 });
  await page.reload();
  await expect(ai).toContainText("100% of your allocation");
  await expect(ai.getByRole("progressbar")).toHaveAttribute("data-tone", "full");
  await expect(ai).toContainText("You have used your allocation. AI features return a 429 error until an admin raises it at Admin > Usage & Limits > Per-user allocations.");
});

// Writes notifications, so on a copy of Acme of its own.
test("a user asks an admin to upgrade from the plan card, and the admin reads who asked", async ({ page, ownOrg }) => {
  const acme = await ownOrg("org_acme");
  await acme.signIn(page, PERSONAS.acmeUserSharingPool);
  await page.getByRole("button", { name: "Ask an admin to upgrade" }).click();
  await expect(page.getByText("Your admins have been asked; they will see it in their notifications.")).toBeVisible();

  await page.context().clearCookies();
  await acme.signIn(page, PERSONAS.acmeAdmin, "/notifications");
  await expect(page.getByText("asks to upgrade the plan")).toBeVisible();
  await expect(page.getByText("The org is on Pro. Pick a higher tier in Settings > Billing if more room is needed.")).toBeVisible();
});
