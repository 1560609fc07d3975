import { z } from "zod";

const appUrlEnv = z.object({ APP_URL: z.url({ protocol: /^https?$/ }).default("http://localhost:3000") });

/** The app's public origin (APP_URL), for links in emails and Stripe's return links. */
export function appUrl(env: NodeJS.ProcessEnv = process.env): URL {
  return new URL(appUrlEnv.parse(env).APP_URL);
}

/** An absolute link to a path of the app. */
export function appLink(path: string, env: NodeJS.ProcessEnv = process.env): string {
  return new URL(path, appUrl(env)).toString();
}
