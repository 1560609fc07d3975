import { randomBytes } from "node:crypto";
import { expect, test as base, type BrowserContext, type Page } from "@playwright/test";
import { encode } from "next-auth/jwt";
import { SESSION_MAX_AGE_S, startUserSession } from "@/lib/auth/user-sessions";
import { openStore, type OpenStore } from "@/lib/db/open";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { DEMO_ORGS } from "@/lib/demo/orgs";
import { seedDemoOrgCopy, type DemoOrgCopy } from "@/lib/demo/seed";

/**
 * An org of the test's own: a fresh copy of a demo org (lib/demo/seed.ts,
 * `seedDemoOrgCopy`) with the template's plan, people, credits and usage
 * history under new ids, and an API key of its own. A test that changes data
 * works on its copy, so it never meets what another spec, or its own first
 * attempt, left behind: a retry starts from the seeded state and proves the
 * same thing. Read-only specs keep the shared demo orgs (personas.ts).
 *
 * The copy's people sign in with a real session, made as the app makes one at
 * sign-in (auth.ts): a user_sessions row, and the Auth.js session cookie, a
 * JWT carrying that row's id as `sid`, encrypted with the server's secret.
 * The app gets no new way in: its demo sign-in still admits only the seeded
 * demo people.
 */

export interface OwnOrg extends DemoOrgCopy {
  /** The copy's id of a template member (`PERSONAS.summitAdmin` -> Sam's id in the copy). */
  userId(templateUserId: string): string;
  /** The copy's address of a template member. */
  email(templateUserId: string): string;
  /** Signs `page`'s browser in as the copy of a template member and opens `path`, as `signInAs` does. */
  signIn(page: Page, templateUserId: string, path?: string): Promise<void>;
}

/** Auth.js names its cookie by the scheme: `__Secure-` over https. Also the salt of the JWT's key. */
const sessionCookieName = (baseURL: string) => `${baseURL.startsWith("https:") ? "__Secure-" : ""}authjs.session-token`;

/**
 * A signed-in session for `user`, as a sign-in leaves it: its row, written by the app's own
 * startUserSession (lib/auth/user-sessions.ts, what auth.ts's jwt callback calls), and its cookie
 * in `context`.
 */
export async function startSession(db: PrismaClient, context: BrowserContext, baseURL: string, user: { id: string; email: string; name: string }) {
  const secret = process.env.E2E_AUTH_SECRET;
  if (!secret) throw new Error("E2E_AUTH_SECRET is not set (playwright.config.ts sets it).");
  const sid = await startUserSession(db, user.email);
  const name = sessionCookieName(baseURL);
  // What Auth.js's jwt step writes for a sign-in: the default claims, and the `sid` of auth.ts's callback.
  const value = await encode({ token: { name: user.name, email: user.email.trim().toLowerCase(), sub: user.id, sid }, secret, salt: name, maxAge: SESSION_MAX_AGE_S });
  const expires = Math.floor(Date.now() / 1000) + SESSION_MAX_AGE_S;
  await context.addCookies([{ name, value, url: baseURL, httpOnly: true, sameSite: "Lax", expires }]);
}

/** Lower-case letters and digits, unique across workers and retries. */
const uniqueSuffix = () => `${Date.now().toString(36)}${randomBytes(4).toString("hex")}`;

function lookUp(map: Record<string, string>, templateUserId: string, orgId: string) {
  const found = map[templateUserId];
  if (!found) throw new Error(`${templateUserId} is not a member of ${orgId}'s template`);
  return found;
}

export interface OwnOrgOptions {
  /** The copy's billing anchor instead of the template's: its cycle, and the usage seeded into it, start there. */
  billingAnchor?: Date;
}

export const test = base.extend<{ ownOrg: (templateOrgId: string, options?: OwnOrgOptions) => Promise<OwnOrg> }, { e2eStore: OpenStore }>({
  /** The run's database (E2E_DATABASE_URL, the one the server uses), one small pool per worker. */
  e2eStore: [
    async ({}, use) => {
      const url = process.env.E2E_DATABASE_URL;
      if (!url) throw new Error("E2E_DATABASE_URL is not set (playwright.config.ts sets it).");
      const store = openStore({ kind: "server", url }, { poolSize: 2, applicationName: "ledgerline-e2e" });
      await use(store);
      await store.close();
    },
    { scope: "worker" },
  ],

  /** Seeds a fresh copy of the demo org `templateOrgId` for this test (each call, another copy). */
  ownOrg: async ({ e2eStore, baseURL }, use) => {
    await use(async (templateOrgId, options = {}) => {
      const template = DEMO_ORGS.find((org) => org.id === templateOrgId);
      if (!template) throw new Error(`No demo org ${templateOrgId}`);
      const copy = await seedDemoOrgCopy(e2eStore.sql, templateOrgId, uniqueSuffix(), new Date(), options.billingAnchor);
      const userId = (id: string) => lookUp(copy.userIds, id, templateOrgId);
      const email = (id: string) => lookUp(copy.emails, id, templateOrgId);
      return {
        ...copy,
        userId,
        email,
        async signIn(page, templateUserId, path = "/settings/usage") {
          const id = userId(templateUserId);
          const { name } = template.members.find((m) => m.id === templateUserId)!;
          await startSession(e2eStore.prisma, page.context(), baseURL!, { id, email: email(templateUserId), name });
          await page.goto(path);
          await expect(page).toHaveURL((url) => url.pathname === new URL(path, baseURL).pathname);
          await expect(page.getByTestId("user-name")).toHaveText(name);
        },
      };
    });
  },
});

export { expect };
