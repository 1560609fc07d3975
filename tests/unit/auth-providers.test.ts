import { describe, expect, it } from "vitest";
import { authProviders, demoSignInEnabled, oauthSignInOptions } from "@/lib/auth/providers";

const env = (values: Record<string, string>) => values as unknown as NodeJS.ProcessEnv;
// Auth.js applies a provider's options (such as the demo provider's own id) over its defaults.
const ids = (values: Record<string, string>) =>
  authProviders(env(values)).map((p) => {
    const config = typeof p === "function" ? p() : p;
    return (config.options as { id?: string } | undefined)?.id ?? config.id;
  });

describe("sign-in providers come from configuration", () => {
  it("demo sign-in: on under next dev, elsewhere only on a demo deployment", () => {
    expect(demoSignInEnabled(env({ NODE_ENV: "development" }))).toBe(true);
    expect(demoSignInEnabled(env({ NODE_ENV: "production" }))).toBe(false);
    // Asking for demo sign-in alone no longer opens it in production.
    expect(demoSignInEnabled(env({ NODE_ENV: "production", AUTH_DEMO_SIGN_IN: "true" }))).toBe(false);
    expect(demoSignInEnabled(env({ NODE_ENV: "production", LEDGERLINE_DEMO: "true" }))).toBe(true);
    expect(demoSignInEnabled(env({ NODE_ENV: "production", LEDGERLINE_DEMO: "true", AUTH_DEMO_SIGN_IN: "false" }))).toBe(false);
    expect(demoSignInEnabled(env({ NODE_ENV: "development", AUTH_DEMO_SIGN_IN: "false" }))).toBe(false);
  });

  it("an OAuth provider turns on with its client id in the environment", () => {
    expect(ids({ NODE_ENV: "production" })).toEqual([]);
    expect(ids({ NODE_ENV: "production", LEDGERLINE_DEMO: "true", AUTH_GITHUB_ID: "id", AUTH_GITHUB_SECRET: "s" })).toEqual(["demo", "github"]);
    expect(oauthSignInOptions(env({ AUTH_GOOGLE_ID: "id", AUTH_MICROSOFT_ENTRA_ID_ID: "id" }))).toEqual([
      { id: "google", name: "Google" },
      { id: "microsoft-entra-id", name: "Microsoft Entra ID" },
    ]);
  });
});
