import { readFile } from "node:fs/promises";
import type { Page } from "@playwright/test";
import { expect, test } from "./support/own-org";
import { PERSONAS } from "./support/personas";

const DAY_MS = 86_400_000;
/** "Dec 18": the page's short dates. */
const SHORT_DATE = "[A-Z][a-z]{2} \\d{1,2}";

/** An anchor that starts a copy's cycle `days` ago, with the template's usage seeded into that cycle. */
const cycleStarted = (days: number) => ({ billingAnchor: new Date(Date.now() - days * DAY_MS) });

test.describe("the forecast", () => {
  test("25 days in, a plain user reads the AI pool's pace in percentages and the admin in dollars under Show $", async ({ page, ownOrg, browser }) => {
    // $70 of $100 after 25 days heads for about $84 (a 28-day month: $78); 9,200 of 10,000 emails passes the limit.
    const acme = await ownOrg("org_acme", cycleStarted(25));
    await acme.signIn(page, PERSONAS.acmeUserSharingPool);
    const pool = page.getByTestId("forecast-ai_budget");
    await expect(pool).toHaveText(new RegExp(`^On track: about \\d+% of the pool by ${SHORT_DATE}$`));
    await expect(page.getByTestId("forecast-emails_sent")).toHaveText(new RegExp(`^At this pace it reaches the limit around ${SHORT_DATE}$`));
    // Contacts do not reset: no forecast.
    await expect(page.getByTestId("forecast-contacts")).toHaveCount(0);

    const admin = await (await browser.newContext()).newPage();
    await acme.signIn(admin, PERSONAS.acmeAdmin);
    await expect(admin.getByTestId("forecast-ai_budget")).toHaveText(new RegExp(`^On track: about \\d+% of the pool by ${SHORT_DATE}$`));
    await admin.getByRole("switch", { name: "Show $" }).click();
    await expect(admin.getByTestId("forecast-ai_budget")).toHaveText(new RegExp(`^On track: about \\$\\d+\\.\\d\\d of \\$100\\.00 by ${SHORT_DATE}$`));
    await admin.context().close();
  });

  test("5 days in, the pool runs out at this pace, and Linus's allocation says when his runs out", async ({ page, ownOrg }) => {
    const acme = await ownOrg("org_acme", cycleStarted(5));
    await acme.signIn(page, PERSONAS.acmeUserWithAllocation);
    await expect(page.getByTestId("forecast-ai_budget")).toHaveText(new RegExp(`^At this pace the AI pool runs out around ${SHORT_DATE}$`));
    await expect(page.getByTestId("my-forecast-ai_budget")).toHaveText(new RegExp(`^At this pace your allocation runs out around ${SHORT_DATE}$`));
    // His enrichments are blocked by the org pool, which the meter already says: no forecast for them.
    await expect(page.getByTestId("my-forecast-enrichments")).toHaveCount(0);
  });

  test("in the first days of a cycle there is no forecast yet", async ({ page, ownOrg }) => {
    const acme = await ownOrg("org_acme", cycleStarted(1));
    await acme.signIn(page, PERSONAS.acmeAdmin);
    await expect(page.getByTestId("meter-emails_sent")).toBeVisible();
    await expect(page.getByTestId(/^forecast-/)).toHaveCount(0);
  });
});

test.describe("Download CSV", () => {
  async function download(page: Page) {
    const downloading = page.waitForEvent("download");
    await page.getByRole("link", { name: "Download CSV" }).click();
    const file = await downloading;
    return { name: file.suggestedFilename(), lines: (await readFile((await file.path())!, "utf8")).trim().split("\r\n") };
  }

  test("an admin gets this cycle by day with a dollar column; a plain user their own rows, without one", async ({ page, ownOrg, browser }) => {
    const acme = await ownOrg("org_acme");
    await acme.signIn(page, PERSONAS.acmeAdmin);
    const admin = await download(page);
    expect(admin.name).toMatch(/\.csv$/);
    expect(admin.lines[0].split(",")).toContain("amount_usd");
    expect(admin.lines.some((line) => line.includes(",ai_budget,"))).toBe(true);

    const userPage = await (await browser.newContext({ acceptDownloads: true })).newPage();
    await acme.signIn(userPage, PERSONAS.acmeUserWithAllocation);
    const user = await download(userPage);
    expect(user.lines[0].split(",")).not.toContain("amount_usd");
    expect(user.lines.join("\n")).not.toMatch(/\$/);
    // Linus's own 96 enrichments this cycle, not the org's 1,000.
    const enrichments = user.lines.filter((line) => line.includes(",enrichments,")).map((line) => Number(line.split(",").at(-1)));
    expect(enrichments.reduce((sum, n) => sum + n, 0)).toBe(96);
    await userPage.context().close();
  });
});

test.describe("live meters", () => {
  const rscRequests = (page: Page) => {
    const seen: string[] = [];
    page.on("request", (request) => {
      const headers = request.headers();
      // A refresh, not a link's prefetch.
      if (headers["rsc"] === "1" && !headers["next-router-prefetch"] && new URL(request.url()).pathname === "/settings/usage") seen.push(request.url());
    });
    return seen;
  };

  test("a consume made through the API appears within the refresh, without a reload and without moving the page", async ({ page, ownOrg }) => {
    await page.clock.install();
    const acme = await ownOrg("org_acme");
    await acme.signIn(page, PERSONAS.acmeAdmin);
    await expect(page.getByTestId("usage-updated")).toHaveAttribute("data-live", "on");
    const emails = page.getByTestId("meter-emails_sent");
    await expect(emails).toContainText("9.2K / 10K");
    const updated = await page.getByTestId("usage-updated").textContent();
    const top = (await emails.boundingBox())!.y;
    await page.evaluate(() => ((window as { stillThisPage?: boolean }).stillThisPage = true));

    const consumed = await page.request.post("/api/v1/usage/consume", {
      headers: { authorization: `Bearer ${acme.apiKey}` },
      data: { metric: "emails_sent", quantity: 500, idempotencyKey: "live-refresh-1" },
    });
    expect(consumed.status(), await consumed.text()).toBe(200);
    // "Updated" is the server's time to the second: let one pass.
    await page.waitForTimeout(1_100);

    await page.clock.fastForward(31_000);
    await expect(emails).toContainText("9.7K / 10K");
    await expect(page.getByTestId("usage-updated")).not.toHaveText(updated!);
    expect(await page.evaluate(() => (window as { stillThisPage?: boolean }).stillThisPage)).toBe(true);
    expect((await emails.boundingBox())!.y).toBe(top);
  });

  test("a background tab asks for nothing, and refreshes as soon as it is shown again", async ({ page, ownOrg }) => {
    await page.clock.install();
    const acme = await ownOrg("org_acme");
    await acme.signIn(page, PERSONAS.acmeAdmin);
    // Hidden only once the page is live: a refresh that starts after the clock moved would count from then.
    await expect(page.getByTestId("usage-updated")).toHaveAttribute("data-live", "on");
    const refreshes = rscRequests(page);
    const setVisibility = (state: "hidden" | "visible") =>
      page.evaluate((value) => {
        Object.defineProperty(document, "visibilityState", { value, configurable: true });
        document.dispatchEvent(new Event("visibilitychange"));
      }, state);

    await setVisibility("hidden");
    await page.clock.fastForward(95_000);
    await page.waitForTimeout(500);
    expect(refreshes).toEqual([]);

    await setVisibility("visible");
    await expect.poll(() => refreshes.length).toBe(1);
  });
});
