import type { Browser, Page } from "@playwright/test";
import { expect, test } from "./support/own-org";
import { PERSONAS } from "./support/personas";

/**
 * Admin > Members, each test on a fresh copy of a demo org of its own
 * (support/own-org.ts): the invitations, members and mail it adds start from
 * the seeded seats on every attempt, a retry included, and never compete with
 * another test's. On Freebie (Free plan: 1 Power seat, held by Fred; 2
 * Collaborator seats): a full seat type refuses the invitation with the
 * reason, another goes out by email (the mail outbox), and its link joins only
 * the invited person. On Summit (no seat caps): removing a member signs them
 * out at once.
 */

const FRED = PERSONAS.freebieAdmin;
const SAM = PERSONAS.summitAdmin;

const unique = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;

async function invite(page: Page, email: string) {
  const form = page.getByRole("form", { name: "Invite a member" });
  await form.getByLabel("Email").fill(email);
  await form.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByTestId(`invitation-${email}`)).toBeVisible();
}

/** The newest invitation link sent to `email`, read from the mail outbox as the invitee would read their inbox. */
async function invitationLink(page: Page, email: string): Promise<string> {
  await page.goto("/admin/mail-outbox");
  const letter = page.getByTestId("outbox-message").filter({ hasText: `To ${email}` }).first();
  return new URL((await letter.getByRole("link").getAttribute("href"))!).pathname;
}

/** The invitee, in a browser of their own: signs in as the invited address (demo), accepts, and lands signed in. */
async function joinAs(browser: Browser, link: string, email: string, name: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(link);
  await expect(page.getByTestId("invitation-sign-in")).toContainText(`Sign in as ${email} to accept`);
  await page.getByRole("button", { name: `Demo: sign in as ${email}` }).click();
  await page.waitForURL((url) => url.pathname === link);
  await page.getByLabel("Your name").fill(name);
  await page.getByRole("button", { name: "Accept invitation" }).click();
  await expect(page.getByTestId("invitation-accepted")).toContainText(`signed in as ${email}.`);
  await page.getByRole("link", { name: "Continue to Ledgerline" }).click();
  await expect(page.getByTestId("user-name")).toHaveText(name);
  return page;
}

test("invite: refused at the seat cap, sent otherwise; the link joins only the invitee, signed in as the invited address", async ({ page, browser, ownOrg }) => {
  page.on("dialog", (dialog) => dialog.accept());
  const freebie = await ownOrg("org_freebie");
  await freebie.signIn(page, FRED, "/admin/members");
  await expect(page.getByTestId("seats-power")).toContainText("1 of 1");
  await expect(page.getByTestId("seats-power")).toContainText("full");

  const form = page.getByRole("form", { name: "Invite a member" });
  const email = `pat-${unique()}@freebie.test`;
  await form.getByLabel("Email").fill(email);
  await form.getByLabel("Seat").selectOption("power");
  await form.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByTestId("invite-message")).toHaveText(
    "The only Power seat on the Free plan is taken (1 member). Upgrade the plan in Admin > Billing, or revoke a pending invitation, to add another Power member.",
  );

  await form.getByLabel("Email").fill(email);
  await form.getByLabel("Seat").selectOption("collaborator");
  await form.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByTestId("invite-message")).toHaveText(`Invitation sent to ${email}. The email is on its way; the mail outbox keeps a copy.`);
  await expect(page.getByTestId(`invitation-${email}`)).toContainText("User · Collaborator seat · invited by Fred Brooks");

  // Resend replaces the link; the newest email holds the one that works.
  await page.getByTestId(`invitation-${email}`).getByRole("button", { name: "Resend" }).click();
  await expect(page.getByTestId(`invitation-${email}`).getByRole("status")).toContainText("Sent again with a new link");

  await page.getByRole("link", { name: "Mail outbox" }).click();
  await expect(page.getByTestId("outbox-message").filter({ hasText: `To ${email}` }).first()).toContainText("Fred Brooks invited you to Freebie on Ledgerline");
  const link = await invitationLink(page, email);

  // The admin who read the outbox holds the link, but is not the invitee: no way to accept.
  await page.goto(link);
  await expect(page.getByRole("heading", { name: "Join Freebie" })).toBeVisible();
  await expect(page.getByTestId("invitation-wrong-account")).toContainText(`You are signed in as ${freebie.email(FRED)}, but this invitation is for ${email}.`);
  await expect(page.getByRole("button", { name: "Accept invitation" })).toHaveCount(0);

  // Signed out, the page offers sign-in that comes back to the invitation.
  const invitee = await joinAs(browser, link, email, "Pat Example");
  await expect(invitee.getByTestId("org-name")).toHaveText("Freebie");
  await invitee.context().close();

  await page.goto("/admin/members");
  await expect(page.getByTestId(`member-${email}`)).toContainText("Pat Example");
  await expect(page.getByTestId(`invitation-${email}`)).toHaveCount(0);
  await page.goto("/admin/audit");
  await expect(page.getByTestId("audit-entry").first()).toContainText("Accepted an invitation");
});

test("the invitation page offers a sign-in back to it, and the demo sign-in only for an address with no user yet", async ({ page, browser, ownOrg }) => {
  page.on("dialog", (dialog) => dialog.accept());
  const summit = await ownOrg("org_summit");
  await summit.signIn(page, SAM, "/admin/members");
  const existing = "ada@acme.test"; // a demo person: a user already
  await invite(page, existing);
  const link = await invitationLink(page, existing);

  const visitor = await (await browser.newContext()).newPage();
  await visitor.goto(link);
  await expect(visitor.getByTestId("invitation-sign-in")).toContainText(`Sign in as ${existing} to accept`);
  await expect(visitor.getByRole("button", { name: /^Demo: sign in as/ })).toHaveCount(0);
  await visitor.getByRole("link", { name: "Sign in to accept" }).click();
  await expect(visitor).toHaveURL(`/signin?callbackUrl=${encodeURIComponent(link)}`);
  await visitor.locator(`button[data-user-id="${PERSONAS.acmeSuperAdmin}"]`).click();
  await visitor.waitForURL((url) => url.pathname === link);
  await expect(visitor.getByRole("button", { name: "Accept invitation" })).toBeVisible();
  await visitor.context().close();

  // Revoked, the invitation leaves the list.
  await page.goto("/admin/members");
  await page.getByTestId(`invitation-${existing}`).getByRole("button", { name: "Revoke" }).click();
  await expect(page.getByTestId(`invitation-${existing}`)).toHaveCount(0);
});

test("remove: the member's seat is freed, it is audited, and their next page load goes to sign-in", async ({ page, browser, ownOrg }) => {
  page.on("dialog", (dialog) => dialog.accept());
  const summit = await ownOrg("org_summit");
  await summit.signIn(page, SAM, "/admin/members");
  await expect(page.getByTestId(`member-${summit.email(SAM)}`)).toBeVisible();
  await expect(page.getByTestId(`member-${summit.email(SAM)}`).getByRole("button", { name: "Remove" })).toHaveCount(0); // never yourself
  const email = `quinn-${unique()}@summit.test`;
  await invite(page, email);
  const member = await joinAs(browser, await invitationLink(page, email), email, "Quinn Example");

  await page.goto("/admin/members");
  await page.getByTestId(`member-${email}`).getByRole("button", { name: "Remove" }).click();
  await expect(page.getByTestId(`member-${email}`)).toHaveCount(0);
  await page.goto("/admin/audit");
  await expect(page.getByTestId("audit-entry").first()).toContainText("Removed a member");
  await expect(page.getByTestId("audit-entry").first()).toContainText(email);

  await member.goto("/settings/usage");
  await expect(member).toHaveURL(/\/signin\?callbackUrl=%2Fsettings%2Fusage$/);
  await member.context().close();
});

test("revoke frees the invitation's seat", async ({ page, ownOrg }) => {
  page.on("dialog", (dialog) => dialog.accept());
  const freebie = await ownOrg("org_freebie");
  await freebie.signIn(page, FRED, "/admin/members");
  const email = `rory-${unique()}@freebie.test`;
  await invite(page, email);
  const row = page.getByTestId(`invitation-${email}`);
  await row.getByRole("button", { name: "Revoke" }).click();
  await expect(row).toHaveCount(0);
});
