import { expect, test } from "@playwright/test";
import { PERSONAS, signInAs } from "./support/personas";

test.describe("Acme admin", () => {
  test.beforeEach(async ({ page }) => signInAs(page, PERSONAS.acmeAdmin));

  test("sees the sections in order, percentages first, and Show $ flips to dollars", async ({ page }) => {
    // Polled: the header is up before the page's sections have streamed in.
    const headings = async () => (await page.locator("main h2").allTextContents()).slice(0, 6);
    await expect.poll(headings).toEqual(["AI usage this cycle", "Your plan", "Organization-wide meters", "Blocked requests", "My usage", "Usage history"]);

    const used = page.getByTestId("ai-budget-used");
    await expect(used).toHaveText("70% of monthly AI pool");
    await expect(page.getByText(/^Resets [A-Z][a-z]{2} \d{1,2}$/).first()).toBeVisible();
    const categories = { email: "EmailStandard25%", chips: "ChipsLight10%", summary: "SummaryFast15%", agent: "AgentAdvanced Reasoning30%", coaching: "CoachingStandard8%", chat: "ChatFast12%" };
    for (const [feature, text] of Object.entries(categories)) {
      await expect(page.getByTestId(`ai-category-${feature}`)).toHaveText(text);
    }
    await expect(page.getByTestId("credit-balance")).toHaveText("25% of a monthly pool");

    const toggle = page.getByRole("switch", { name: "Show $" });
    await expect(toggle).toHaveAttribute("aria-checked", "false");
    await toggle.click();
    await expect(toggle).toHaveAttribute("aria-checked", "true");
    await expect(used).toHaveText("$70.00 of $100.00");
    await expect(page.getByTestId("ai-category-agent")).toHaveText("AgentAdvanced Reasoning$21.00");
    await expect(page.getByTestId("credit-balance")).toHaveText("$25.00");

    // Keyboard: the switch is a button, so Space flips it back.
    await toggle.focus();
    await page.keyboard.press("Space");
    await expect(used).toHaveText("70% of monthly AI pool");
  });

  test("Show $ stays as this person left it across a reload, and not for the next person on the browser", async ({ page }) => {
    const toggle = page.getByRole("switch", { name: "Show $" });
    await toggle.click();
    await expect(page.getByTestId("ai-budget-used")).toHaveText("$70.00 of $100.00");
    await page.reload();
    await expect(toggle).toHaveAttribute("aria-checked", "true");
    await expect(page.getByTestId("ai-budget-used")).toHaveText("$70.00 of $100.00");

    await signInAs(page, PERSONAS.acmeSuperAdmin);
    await expect(page.getByRole("switch", { name: "Show $" })).toHaveAttribute("aria-checked", "false");
    await expect(page.getByTestId("ai-budget-used")).toHaveText("70% of monthly AI pool");
  });

  test("plan card: Pro price, Upgrade to Settings > Billing, Manage Plan to Admin > Billing", async ({ page }) => {
    await expect(page.getByTestId("plan-name")).toHaveText("Pro");
    await expect(page.getByText("$49.00")).toBeVisible();
    await expect(page.getByRole("link", { name: "Upgrade" })).toHaveAttribute("href", "/settings/billing");
    await expect(page.getByRole("link", { name: "Manage Plan" })).toHaveAttribute("href", "/admin/billing");
  });

  test("meter colours follow the thresholds, with aria values", async ({ page }) => {
    const expectations = [
      { metric: "companies", tone: "normal", now: "42", rgb: "rgb(37, 99, 235)" }, // 4.2K of 10K
      { metric: "storage_bytes", tone: "warning", now: "85", rgb: "rgb(168, 131, 0)" }, // 21.3 GB of 25 GB
      { metric: "emails_sent", tone: "high", now: "92", rgb: "rgb(234, 88, 12)" }, // 9.2K of 10K
      { metric: "contacts", tone: "full", now: "100", rgb: "rgb(220, 38, 38)" }, // 26.5K of 25K: 106%
    ];
    for (const { metric, tone, now, rgb } of expectations) {
      const bar = page.getByTestId(`meter-${metric}`).getByRole("progressbar");
      await expect(bar).toHaveAttribute("data-tone", tone);
      await expect(bar).toHaveAttribute("aria-valuenow", now);
      await expect(bar.locator("div").last()).toHaveCSS("background-color", rgb);
    }
    await expect(page.getByTestId("meter-contacts").getByRole("progressbar")).toHaveAttribute("aria-valuetext", "106% used");
    await expect(page.getByTestId("meter-contacts")).toContainText("Soft cap: may run to 110% (27.5K)");
    await expect(page.getByTestId("meter-storage_bytes")).toContainText("21.3 GB / 25 GB");
    await expect(page.getByTestId("meter-ai_tokens")).toContainText("Observability only");
  });

  test("meter groups, seats line, sparklines and history charts", async ({ page }) => {
    for (const group of ["Core Limits", "Monthly Activity", "Data Operations"]) {
      await expect(page.getByRole("heading", { name: group })).toBeVisible();
    }
    await expect(page.getByTestId("seats-line")).toContainText("Seats: 3 of 5 Power and 2 of 10 Collaborator");
    await expect(page.getByTestId("seats-line").getByRole("link", { name: "Settings > Billing" })).toHaveAttribute("href", "/settings/billing");
    await expect(page.locator("[data-testid^=meter-] svg")).toHaveCount(11);
    for (const metric of ["emails_sent", "ai_tokens", "contacts", "storage_bytes"]) {
      await expect(page.getByTestId(`history-${metric}`).locator("svg.recharts-surface").first()).toBeVisible();
    }
  });

  test("Manage Plan opens Admin > Billing; choosing a tier there shows the change", async ({ page }) => {
    await page.getByRole("link", { name: "Manage Plan" }).click();
    await expect(page.getByRole("heading", { name: "Billing administration" })).toBeVisible();
    await expect(page.getByTestId("payment-state")).toContainText("In good standing");
    await page.goto("/settings/billing");
    await page.getByRole("link", { name: "Choose Business" }).click();
    await expect(page.getByTestId("plan-change")).toContainText("Change from Pro to Business");
  });
});
