import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { SHIPPED_DEFAULTS } from "@/lib/config/shipped-defaults";
import { scratchDatabases } from "../support/scratch-databases";
import { onServer } from "../support/store";

/** `npm start`'s first step, scripts/db-prepare.ts, run as npm runs it, on a database of its own. */
const run = promisify(execFile);

const databases = scratchDatabases("ledgerline_start");
const freshDatabase = () => databases.create();

async function orgsIn(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM orgs`);
    return rows[0].n;
  } finally {
    await client.end();
  }
}

async function prepare(env: Record<string, string>, cwd = process.cwd()) {
  // Only what is given: the shipped values must not leak in from this process's environment.
  const base = { PATH: process.env.PATH!, HOME: process.env.HOME ?? "/root", NODE_ENV: "production" };
  try {
    const { stdout, stderr } = await run("npx", ["tsx", "scripts/db-prepare.ts"], { cwd, env: { ...base, ...env } as unknown as NodeJS.ProcessEnv });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

/** A copy of the app (links to its code) with this .env beside it, as an operator would keep one. */
function appWithEnvFile(contents: string) {
  const dir = mkdtempSync(path.join(tmpdir(), "ledgerline-env-"));
  for (const entry of ["lib", "node_modules", "package.json", "prisma", "scripts", "tsconfig.json"]) {
    symlinkSync(path.resolve(entry), path.join(dir, entry));
  }
  writeFileSync(path.join(dir, ".env"), contents);
  apps.push(dir);
  return dir;
}
const apps: string[] = [];

afterAll(async () => {
  for (const dir of apps) rmSync(dir, { recursive: true, force: true });
  await databases.dropAll();
});

const OWN_SECRET = "an-operator-secret-that-is-long-enough-1";

describe.skipIf(!onServer)("npm start's preparation in production (needs DATABASE_URL)", () => {
  it("refuses the shipped AUTH_SECRET, naming it, before touching the database", async () => {
    const url = await freshDatabase();
    const refused = await prepare({ DATABASE_URL: url, AUTH_SECRET: SHIPPED_DEFAULTS.AUTH_SECRET });
    expect(refused.code).not.toBe(0);
    expect(refused.output).toContain("AUTH_SECRET holds the development value shipped in .env.example");
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query(`SELECT to_regclass('orgs') AS t`);
    await client.end();
    expect(rows[0].t).toBeNull();
  });

  it("refuses a shipped demo API key and the shipped webhook secret, naming each", async () => {
    const refused = await prepare({
      DATABASE_URL: await freshDatabase(),
      AUTH_SECRET: OWN_SECRET,
      STRIPE_WEBHOOK_SECRET: SHIPPED_DEFAULTS.STRIPE_WEBHOOK_SECRET,
      DEMO_API_KEY_ACME: SHIPPED_DEFAULTS.DEMO_API_KEY_ACME,
    });
    expect(refused.code).not.toBe(0);
    expect(refused.output).toContain("STRIPE_WEBHOOK_SECRET holds");
    expect(refused.output).toContain("DEMO_API_KEY_ACME holds");
  });

  it("migrates an empty production database without seeding the demo", async () => {
    const url = await freshDatabase();
    const started = await prepare({ DATABASE_URL: url, AUTH_SECRET: OWN_SECRET });
    expect(started.code).toBe(0);
    expect(started.output).toContain("LEDGERLINE_DEMO=true");
    expect(await orgsIn(url)).toBe(0);
  });

  it("judges the .env file the server will read: its own secret there is accepted, the shipped one refused", async () => {
    const url = await freshDatabase();
    const accepted = await prepare({}, appWithEnvFile(`DATABASE_URL=${url}\nAUTH_SECRET=${OWN_SECRET}\n`));
    expect(accepted.code).toBe(0);
    expect(await orgsIn(url)).toBe(0);
    const refused = await prepare({}, appWithEnvFile(`DATABASE_URL=${url}\nAUTH_SECRET=${SHIPPED_DEFAULTS.AUTH_SECRET}\n`));
    expect(refused.code).not.toBe(0);
    expect(refused.output).toContain("AUTH_SECRET holds the development value shipped in .env.example");
  });

  it("seeds the demo on the shipped values only when told it is a demo deployment", async () => {
    const url = await freshDatabase();
    const started = await prepare({ DATABASE_URL: url, LEDGERLINE_DEMO: "true", ...SHIPPED_DEFAULTS });
    expect(started.code).toBe(0);
    expect(await orgsIn(url)).toBe(5);
  });
});
