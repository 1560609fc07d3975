import { expect, test } from "./support/own-org";
import { linkInInbox, MAIL_SINK } from "./support/inbox";
import { PERSONAS } from "./support/personas";

/**
 * Sign-in by emailed link, through Auth.js's Nodemailer provider and the app's SMTP transport, to the
 * run's own SMTP server (support/mail-sink.ts): no OAuth account, no demo sign-in.
 */
// Next names a loopback server "localhost" in the URL of a plain GET (the link's callback), while a
// form's redirects use the Host the browser sent: this browser says localhost too, so the link's
// own callback address is accepted and the session cookie is the one it sends back.
test.use({ baseURL: `http://localhost:${process.env.E2E_PORT ?? 3100}` });

/** A link from a mail, on the server under test: its path and query (mails name the deployment's APP_URL). */
function pathOf(link: string): string {
  const url = new URL(link);
  return `${url.pathname}${url.search}`;
}
const unique = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;

test("a new member joins by the invitation's link and a sign-in link emailed to the invited address", async ({ page, browser, ownOrg }) => {
  const freebie = await ownOrg("org_freebie");
  await freebie.signIn(page, PERSONAS.freebieAdmin, "/admin/members");
  const email = `newcomer-${unique()}@freebie.test`;
  const form = page.getByRole("form", { name: "Invite a member" });
  await form.getByLabel("Email").fill(email);
  await form.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByTestId(`invitation-${email}`)).toBeVisible();

  const invitee = await (await browser.newContext()).newPage();
  const invitation = pathOf(await linkInInbox(invitee.request, email, /invited you to/));
  await invitee.goto(invitation);
  await invitee.getByRole("button", { name: `Email a sign-in link to ${email}` }).click();
  await expect(invitee.getByRole("status")).toContainText("Check your email");

  await invitee.goto(pathOf(await linkInInbox(invitee.request, email, /sign-in link/)));
  await invitee.waitForURL((url) => url.pathname === invitation);
  await invitee.getByLabel("Your name").fill("Nia Newcomer");
  await invitee.getByRole("button", { name: "Accept invitation" }).click();
  await expect(invitee.getByTestId("invitation-accepted")).toContainText(`signed in as ${email}.`);
  await invitee.getByRole("link", { name: "Continue to Ledgerline" }).click();
  await expect(invitee.getByTestId("user-name")).toHaveText("Nia Newcomer");
});

test("a member signs in with a link emailed from the sign-in page, once", async ({ browser, ownOrg }) => {
  const summit = await ownOrg("org_summit");
  const email = summit.email(PERSONAS.summitAdmin);
  const page = await (await browser.newContext()).newPage();
  await page.goto("/signin?callbackUrl=%2Fsettings%2Fusage");
  await page.getByLabel("Work email").fill(email);
  await page.getByRole("button", { name: "Email me a sign-in link" }).click();
  await expect(page.getByRole("status")).toContainText("Check your email");

  const link = pathOf(await linkInInbox(page.request, email, /sign-in link/));
  await page.goto(link);
  await page.waitForURL((url) => url.pathname === "/settings/usage");
  await expect(page.getByTestId("user-name")).toBeVisible();

  // A stranger's address is told the same, and is sent nothing.
  const stranger = `stranger-${unique()}@elsewhere.test`;
  await page.context().clearCookies();
  await page.goto("/signin");
  await page.getByLabel("Work email").fill(stranger);
  await page.getByRole("button", { name: "Email me a sign-in link" }).click();
  await expect(page.getByRole("status")).toContainText("Check your email");
  const sent = (await (await page.request.get(`${MAIL_SINK}/messages`)).json()) as { to: string[] }[];
  expect(sent.some((m) => m.to.includes(stranger))).toBe(false);

  // The link works once: in a fresh browser it is refused.
  const again = await (await browser.newContext()).newPage();
  await again.goto(link);
  await expect(again.getByRole("alert").filter({ hasText: "already used or has expired" })).toBeVisible();
});

test("the sign-in endpoint itself: POST /api/auth/signin/nodemailer with the CSRF token mails the link", async ({ request, ownOrg }) => {
  const summit = await ownOrg("org_summit");
  const email = summit.email(PERSONAS.summitAdmin);
  const { csrfToken } = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const refused = await request.post("/api/auth/signin/nodemailer", { form: { email, callbackUrl: "/settings/usage" }, maxRedirects: 0 });
  expect(refused.headers().location ?? "").not.toContain("verify-request");
  const asked = await request.post("/api/auth/signin/nodemailer", { form: { csrfToken, email, callbackUrl: "/settings/usage" }, maxRedirects: 0 });
  expect(asked.status()).toBe(302);
  expect(asked.headers().location).toContain("/api/auth/verify-request?provider=nodemailer&type=email");
  expect(await linkInInbox(request, email, /sign-in link/)).toContain("/api/auth/callback/nodemailer?");
});
