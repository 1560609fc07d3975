import type { Provider } from "next-auth/providers";
import Credentials from "next-auth/providers/credentials";
import GitHub from "next-auth/providers/github";
import Google from "next-auth/providers/google";
import MicrosoftEntraId from "next-auth/providers/microsoft-entra-id";
import { z } from "zod";
import { db } from "@/lib/db";
import { isDemoDeployment } from "@/lib/config/production-safety";
import { DEMO_ORGS } from "@/lib/demo/orgs";

/**
 * Sign-in methods, switched on by configuration alone:
 * - the demo sign-in (one click per seeded demo user) under `next dev`, and
 *   elsewhere only on a demo deployment (LEDGERLINE_DEMO=true); AUTH_DEMO_SIGN_IN=false
 *   turns it off in either;
 * - each OAuth provider below once its AUTH_<ID>_ID and AUTH_<ID>_SECRET are
 *   set (Auth.js reads them, and AUTH_<ID>_ISSUER, from the environment).
 * Whatever the method, only a member, or the address of an open invitation
 * (to accept it), gets in: the account's email decides (see the callbacks in auth.ts).
 */

export const DEMO_PROVIDER_ID = "demo";

const OAUTH_PROVIDERS = [GitHub, Google, MicrosoftEntraId];

const DEMO_USER_IDS = new Set(DEMO_ORGS.flatMap((org) => org.members.map((m) => m.id)));

export function demoSignInEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.AUTH_DEMO_SIGN_IN === "false") return false;
  return env.NODE_ENV === "development" || isDemoDeployment(env);
}

const demoProvider = Credentials({
  id: DEMO_PROVIDER_ID,
  name: "Demo users",
  credentials: { userId: {} },
  // Only the demo people can be signed in this way, so turning the demo on
  // never opens a password-less door to anyone else's account.
  async authorize(credentials) {
    const parsed = z.object({ userId: z.string() }).safeParse(credentials);
    if (!parsed.success || !DEMO_USER_IDS.has(parsed.data.userId)) return null;
    const user = await db().user.findUnique({ where: { id: parsed.data.userId } });
    return user && { id: user.id, email: user.email, name: user.name };
  },
});

const envKey = (id: string) => `AUTH_${id.toUpperCase().replace(/-/g, "_")}_ID`;

function configuredOAuth(env: NodeJS.ProcessEnv) {
  return OAUTH_PROVIDERS.map((provider) => ({ provider, config: provider({}) })).filter(({ config }) => env[envKey(config.id)]);
}

export function authProviders(env: NodeJS.ProcessEnv = process.env): Provider[] {
  // The account's verified email is what identifies a person here, whatever the method; with the
  // emailed-link store present, Auth.js would otherwise refuse an OAuth sign-in to an address it has
  // seen by email ("OAuthAccountNotLinked").
  // Kept functions: Auth.js calls them with the client id and secret from the environment.
  // (The three providers' option types differ; each takes this option.)
  const oauth = configuredOAuth(env).map(({ provider }) => {
    const make = provider as unknown as (options: object) => object;
    return ((options: object) => make({ ...options, allowDangerousEmailAccountLinking: true })) as unknown as Provider;
  });
  return [...(demoSignInEnabled(env) ? [demoProvider] : []), ...oauth];
}

/** The OAuth buttons the sign-in page offers. */
export function oauthSignInOptions(env: NodeJS.ProcessEnv = process.env): { id: string; name: string }[] {
  return configuredOAuth(env).map(({ config }) => ({ id: config.id, name: config.name }));
}
