import type { APIRequestContext } from "@playwright/test";
import { captureAction, replayAction } from "./support/admin-forms";
import { expect, test, type OwnOrg } from "./support/own-org";
import { PERSONAS, signInAs } from "./support/personas";

/**
 * Admin > Usage & Limits on a fresh copy of Summit of the test's own
 * (support/own-org.ts), so the allocation it changes, the blocked count and
 * the audit entries it makes start as seeded on every attempt, a retry
 * included: lowering Sue's AI allocation below what she has used makes her
 * next AI call a 429 through the real API; raising it lets the next call
 * through; the page shows each step.
 */

const SUE = "user_sue"; // $350 of AI this cycle, sharing Summit's $2,000 pool

function authorizeAsSue(request: APIRequestContext, summit: OwnOrg) {
  return request.post("/api/v1/ai/authorize", {
    headers: { authorization: `Bearer ${summit.apiKey}` },
    data: { userId: summit.userId(SUE), feature: "chat", model: "gpt-4.1", inputTokens: 1_000, maxOutputTokens: 100 },
  });
}

test("an admin lowers an allocation (next AI call 429), then raises it (next call passes)", async ({ page, browser, ownOrg }) => {
  const summit = await ownOrg("org_summit");
  await summit.signIn(page, PERSONAS.summitAdmin, "/admin/usage-limits");
  const sue = page.getByTestId(`allocation-${summit.userId(SUE)}`);
  await expect(sue.getByTestId("ai")).toContainText("$350.00");
  await expect(sue.getByTestId("ai")).toContainText("Shares the pool");
  const form = page.getByRole("form", { name: "Allocations for Sue Black" });

  // Clear errors, and nothing saved.
  await form.getByLabel("AI allocation ($)").fill("-5");
  await form.getByRole("button", { name: "Save" }).click();
  await expect(form.getByText("An allocation cannot be negative.")).toBeVisible();
  await form.getByLabel("AI allocation ($)").fill("2500");
  await form.getByRole("button", { name: "Save" }).click();
  await expect(form.getByText("An AI allocation cannot be more than the organization's AI pool of $2,000.00.")).toBeVisible();

  // Lower below what Sue has used: her next AI call is refused.
  await form.getByLabel("AI allocation ($)").fill("300");
  const save = await captureAction(page, () => form.getByRole("button", { name: "Save" }).click());
  await expect(form.getByRole("status")).toHaveText("Saved. The next API call uses the new allocation.");
  await expect(sue.getByTestId("ai")).toContainText("$350.00 of $300.00");
  await expect(sue.getByTestId("ai")).toContainText("Personal allocation");

  const refused = await authorizeAsSue(page.request, summit);
  expect(refused.status()).toBe(429);
  expect((await refused.json()).error.code).toBe("user_allocation_exceeded");
  await page.reload();
  await expect(sue.getByTestId("ai")).toContainText("1 blocked this cycle");

  // A manager replaying the admin's own request is refused by the action itself.
  const manager = await browser.newPage();
  await signInAs(manager, PERSONAS.acmeManager);
  const forged = await replayAction(manager, save, (body) => body.replace(/(name="_1_aiDollars"\r\n\r\n)300/, "$1999"));
  expect(forged.status()).toBe(403);
  await manager.close();

  // Raise it: the next call passes at once.
  await form.getByLabel("AI allocation ($)").fill("500");
  await form.getByRole("button", { name: "Save" }).click();
  await expect(sue.getByTestId("ai")).toContainText("$350.00 of $500.00");
  await expect(sue.getByTestId("ai")).toContainText("70% of allocation");
  expect((await authorizeAsSue(page.request, summit)).status()).toBe(200);

  // The Usage page names who hit the wall; the audit log has both changes.
  await page.goto("/settings/usage");
  await expect(page.getByTestId(`blocked-row-${summit.userId(SUE)}:ai_budget`)).toContainText("Sue BlackAI allocation1");
  await page.goto("/admin/audit");
  const changes = page.getByTestId("audit-entry").filter({ hasText: "Changed a member's allocations" });
  await expect(changes).toHaveCount(2);
  await expect(changes.first()).toContainText("$300.00 → $500.00");
  await expect(changes.last()).toContainText("Shares the pool → $300.00");
});

test("managers and users get 403 on the admin pages and see no admin links", async ({ page }) => {
  await signInAs(page, PERSONAS.acmeManager);
  await expect(page.getByRole("link", { name: "Usage & Limits" })).toHaveCount(0);
  for (const path of ["/admin/usage-limits", "/admin/members", "/admin/api-keys", "/admin/alerts", "/admin/audit", "/admin/mail-outbox"]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(403);
  }
  await expect(page.getByText("You don't have access to this page")).toBeVisible();
  // The 403 says who the page is for: these are admins' pages, and Admin > Billing is also managers'.
  await expect(page.getByTestId("forbidden-audience")).toHaveText("This page is for admins and super admins. Ask an admin if you need something changed.");
  await signInAs(page, PERSONAS.acmeUserSharingPool);
  expect((await page.goto("/admin/billing"))?.status()).toBe(403);
  await expect(page.getByTestId("forbidden-audience")).toContainText("This page is for managers, admins and super admins.");
});

test("admins see who hit walls on the Usage page and reach Usage & Limits from the header", async ({ page }) => {
  await signInAs(page, PERSONAS.acmeSuperAdmin);
  await expect(page.getByRole("link", { name: "Usage & Limits" })).toHaveAttribute("href", "/admin/usage-limits");
  await expect(page.getByTestId("blocked-requests")).toContainText("Whole organizationEnrichments14");
});
