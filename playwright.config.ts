import { defineConfig } from "@playwright/test";
import { e2eDatabaseUrl } from "./e2e/database";

/**
 * End-to-end tests in Debian's Chromium against the production build
 * (`npm run build`, then the production server) on a freshly seeded database on the local
 * Postgres server. Set here once and inherited by the workers, so every
 * process of the run agrees on the database.
 */
process.env.E2E_DATABASE_URL ??= e2eDatabaseUrl(`ledgerline_e2e_${Date.now()}`);
// The server verifies Stripe events with this secret and the specs sign theirs with it.
process.env.E2E_STRIPE_WEBHOOK_SECRET ??= "whsec_e2e_only_not_a_real_secret";
// The server encrypts its session cookies (Auth.js JWTs) with this secret, and so does
// e2e/support/own-org.ts for the sessions it starts for the people of the specs' own orgs.
process.env.E2E_AUTH_SECRET ??= process.env.AUTH_SECRET ?? "e2e-only-secret-not-for-production-use";

const PORT = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${PORT}`;
// E2E_SKIP_BUILD=1 reuses the last build when only tests changed.
// The build runs first, so a failed build leaves no database behind.
const build = process.env.E2E_SKIP_BUILD ? "" : "npm run build && ";

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  fullyParallel: true,
  forbidOnly: Boolean(process.env.CI),
  retries: process.env.CI ? 1 : 0,
  reporter: process.env.CI ? [["list"], ["html", { open: "never" }]] : "list",
  globalTeardown: "./e2e/drop-db.ts",
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    viewport: { width: 1280, height: 900 },
    launchOptions: {
      // Never a downloaded browser: Debian's chromium package.
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  projects: [
    // stripe-webhooks runs as their teardown, once they have all finished, whether or not they passed.
    // It pauses and restores the AI of a copy of Northwind of its own (e2e/support/own-org.ts), so the
    // shared Northwind these specs read as seeded (paused) stays so whatever the order.
    { name: "chromium", testIgnore: /stripe-webhook\.spec\.ts$/, teardown: "stripe-webhooks" },
    { name: "stripe-webhooks", testMatch: /stripe-webhook\.spec\.ts$/ },
    // `npm run screenshots`: pictures for review, not tests; `npm run test:e2e` leaves this project out.
    { name: "screenshots", testMatch: /\.shots\.ts$/ },
  ],
  webServer: [
    // The run's inbox: the app sends its mail here over SMTP, and the specs read it (e2e/support/inbox.ts).
    { command: "npx tsx e2e/support/mail-sink.ts", url: "http://127.0.0.1:3126/messages", reuseExistingServer: false, env: { E2E_SMTP_PORT: "3125", E2E_MAIL_PORT: "3126" } },
    {
      command: `${build}npx tsx e2e/prepare-db.ts && node .next-e2e/server.mjs`,
      url: `${baseURL}/signin`,
      timeout: 300_000,
      reuseExistingServer: false,
      stdout: "pipe",
      env: {
        // Its own build folder: a developer's `next dev` or another build in .next is left alone.
        NEXT_DIST_DIR: ".next-e2e",
        HOSTNAME: "127.0.0.1",
        PORT: String(PORT),
        DATABASE_URL: process.env.E2E_DATABASE_URL,
        AUTH_SECRET: process.env.E2E_AUTH_SECRET,
        AUTH_TRUST_HOST: "true",
        // A demo deployment: the specs sign in as the demo people and call the API with the demo keys.
        LEDGERLINE_DEMO: "true",
        STRIPE_WEBHOOK_SECRET: process.env.E2E_STRIPE_WEBHOOK_SECRET,
        // The demo's placeholder: the billing buttons answer "not connected" and the app never calls Stripe.
        STRIPE_SECRET_KEY: "sk_test_placeholder",
        // Real mail, to the run's own SMTP server: invitations and sign-in links arrive there.
        SMTP_URL: "smtp://127.0.0.1:3125",
        MAIL_FROM: "Ledgerline <no-reply@ledgerline.test>",
      },
    },
  ],
});
