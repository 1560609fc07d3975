import { spawn } from "node:child_process";
import { once } from "node:events";
import { describe, expect, it } from "vitest";
import { SHIPPED_DEFAULTS } from "@/lib/config/shipped-defaults";
import { DIST_DIR } from "./harness";

/** The production server itself (server.mjs, as `npm start` runs it, or run directly) refuses the shipped values. */
function startProductionServer(env: Record<string, string>) {
  return new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [`${DIST_DIR}/server.mjs`], {
      // No NODE_ENV given: the production server is production whatever it says.
      env: { PATH: process.env.PATH!, DATABASE_URL: process.env.DATABASE_URL ?? "", PORT: "3490", HOSTNAME: "127.0.0.1", ...env } as unknown as NodeJS.ProcessEnv,
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

describe("the production server and the shipped development values", () => {
  it("refuses to start on the shipped AUTH_SECRET, naming it, and listens on nothing", async () => {
    const { code, stderr } = await startProductionServer({ AUTH_SECRET: SHIPPED_DEFAULTS.AUTH_SECRET });
    expect(code).toBe(1);
    expect(stderr).toContain("AUTH_SECRET holds the development value shipped in .env.example");
  });

  it("refuses the shipped webhook secret and demo keys unless LEDGERLINE_DEMO=true", async () => {
    const { code, stderr } = await startProductionServer({ ...SHIPPED_DEFAULTS, AUTH_SECRET: "an-operator-secret-that-is-long-enough-1" });
    expect(code).toBe(1);
    for (const name of ["STRIPE_WEBHOOK_SECRET", "DEMO_API_KEY_NORTHWIND"]) expect(stderr).toContain(`${name} holds`);
  });

  it("keeps demo sign-in off when the shell says NODE_ENV=development: the production server is production", async () => {
    const child = spawn(process.execPath, [`${DIST_DIR}/server.mjs`], {
      env: {
        PATH: process.env.PATH!, DATABASE_URL: process.env.DATABASE_URL ?? "", PORT: "3491", HOSTNAME: "127.0.0.1",
        NODE_ENV: "development", AUTH_SECRET: "an-operator-secret-that-is-long-enough-1", AUTH_TRUST_HOST: "true",
      } as unknown as NodeJS.ProcessEnv,
      stdio: ["ignore", "ignore", "inherit"],
    });
    try {
      const deadline = Date.now() + 60_000;
      let providers: Record<string, unknown> | null = null;
      while (!providers && Date.now() < deadline && child.exitCode === null) {
        const response = await fetch("http://127.0.0.1:3491/api/auth/providers").catch(() => null);
        if (response?.ok) providers = (await response.json()) as Record<string, unknown>;
        else await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(providers).toEqual({});
    } finally {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await once(child, "exit");
      }
    }
  });
});
