import { expect, test } from "@playwright/test";
import { PERSONAS, signInAs } from "./support/personas";

/**
 * Admin > Members on Freebie (Free plan: 1 Power seat, held by Fred; 2
 * Collaborator seats): a full seat type refuses the invitation with the
 * reason, another goes out by email (the mail outbox), and its link joins.
 */

const unique = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;

test("invite: refused at the seat cap, sent otherwise, accepted through the emailed link", async ({ page }) => {
  page.on("dialog", (dialog) => dialog.accept());
  await signInAs(page, PERSONAS.freebieAdmin, "/admin/members");
  await expect(page.getByTestId("seats-power")).toContainText("1 of 1");
  await expect(page.getByTestId("seats-power")).toContainText("full");

  const invite = page.getByRole("form", { name: "Invite a member" });
  const email = `pat-${unique()}@freebie.test`;
  await invite.getByLabel("Email").fill(email);
  await invite.getByLabel("Seat").selectOption("power");
  await invite.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByTestId("invite-message")).toHaveText(
    "The only Power seat on the Free plan is taken (1 member). Upgrade the plan in Admin > Billing, or revoke a pending invitation, to add another Power member.",
  );

  await invite.getByLabel("Email").fill(email);
  await invite.getByLabel("Seat").selectOption("collaborator");
  await invite.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByTestId("invite-message")).toHaveText(`Invitation sent to ${email}. The email is in the mail outbox.`);
  await expect(page.getByTestId(`invitation-${email}`)).toContainText("User · Collaborator seat · invited by Fred Brooks");

  // Resend replaces the link; the newest email holds the one that works.
  await page.getByTestId(`invitation-${email}`).getByRole("button", { name: "Resend" }).click();
  await expect(page.getByTestId(`invitation-${email}`).getByRole("status")).toContainText("Sent again with a new link");

  await page.getByRole("link", { name: "Mail outbox" }).click();
  const letter = page.getByTestId("outbox-message").filter({ hasText: `To ${email}` }).first();
  await expect(letter).toContainText("Fred Brooks invited you to Freebie on Ledgerline");
  const link = await letter.getByRole("link").getAttribute("href");
  await page.goto(new URL(link!).pathname);
  await expect(page.getByRole("heading", { name: "Join Freebie" })).toBeVisible();
  await page.getByLabel("Your name").fill("Pat Example");
  await page.getByRole("button", { name: "Accept invitation" }).click();
  await expect(page.getByTestId("invitation-accepted")).toContainText(`You are in. Sign in as ${email} to start.`);

  await page.goto("/admin/members");
  await expect(page.getByTestId(`member-${email}`)).toContainText("Pat Example");
  await expect(page.getByTestId(`invitation-${email}`)).toHaveCount(0);
  await page.goto("/admin/audit");
  await expect(page.getByTestId("audit-entry").first()).toContainText("Accepted an invitation");
});

test("revoke frees the invitation's seat", async ({ page }) => {
  page.on("dialog", (dialog) => dialog.accept());
  await signInAs(page, PERSONAS.freebieAdmin, "/admin/members");
  const email = `rory-${unique()}@freebie.test`;
  const invite = page.getByRole("form", { name: "Invite a member" });
  await invite.getByLabel("Email").fill(email);
  await invite.getByRole("button", { name: "Send invitation" }).click();
  const row = page.getByTestId(`invitation-${email}`);
  await expect(row).toBeVisible();
  await row.getByRole("button", { name: "Revoke" }).click();
  await expect(row).toHaveCount(0);
});
