import { readFileSync } from "node:fs";
import { parseEnv } from "node:util";
import { describe, expect, it } from "vitest";
import { productionProblems } from "@/lib/config/production-safety";
import { SHIPPED_DEFAULTS } from "@/lib/config/shipped-defaults";

const env = (values: Record<string, string>) => values as unknown as NodeJS.ProcessEnv;
const goodSecret = "a-long-random-secret-of-at-least-32-chars";

describe("a production server's environment", () => {
  it("is refused while any value shipped in .env.example is in use, each problem naming its variable", () => {
    const problems = productionProblems(env({ ...SHIPPED_DEFAULTS }));
    for (const name of Object.keys(SHIPPED_DEFAULTS)) expect(problems.some((p) => p.startsWith(`${name} `))).toBe(true);
    expect(productionProblems(env({ AUTH_SECRET: goodSecret, STRIPE_WEBHOOK_SECRET: SHIPPED_DEFAULTS.STRIPE_WEBHOOK_SECRET }))).toEqual([
      expect.stringMatching(/^STRIPE_WEBHOOK_SECRET holds the development value/),
    ]);
  });

  it("is refused without an AUTH_SECRET, or with a short one", () => {
    expect(productionProblems(env({}))).toEqual([expect.stringMatching(/^AUTH_SECRET is not set/)]);
    expect(productionProblems(env({ AUTH_SECRET: "short" }))).toEqual([expect.stringMatching(/^AUTH_SECRET is shorter than 32/)]);
  });

  it("is refused with a short METRICS_TOKEN, and accepted without one (then /metrics answers 404)", () => {
    expect(productionProblems(env({ AUTH_SECRET: goodSecret, METRICS_TOKEN: "short" }))).toEqual([expect.stringMatching(/^METRICS_TOKEN is shorter than 32/)]);
    expect(productionProblems(env({ AUTH_SECRET: goodSecret, METRICS_TOKEN: goodSecret }))).toEqual([]);
    expect(productionProblems(env({ AUTH_SECRET: goodSecret }))).toEqual([]);
  });

  it("is accepted with its own secrets, or as a demo deployment on the shipped ones", () => {
    expect(productionProblems(env({ AUTH_SECRET: goodSecret, STRIPE_WEBHOOK_SECRET: "whsec_live_one" }))).toEqual([]);
    expect(productionProblems(env({ ...SHIPPED_DEFAULTS, LEDGERLINE_DEMO: "true" }))).toEqual([]);
    // Even a demo needs a secret to encrypt sessions with.
    expect(productionProblems(env({ LEDGERLINE_DEMO: "true" }))).toEqual([expect.stringMatching(/^AUTH_SECRET is not set/)]);
  });

  it("knows exactly the values .env.example ships", () => {
    const example = parseEnv(readFileSync(".env.example", "utf8"));
    const shippedThere = Object.fromEntries(Object.keys(SHIPPED_DEFAULTS).map((name) => [name, example[name]]));
    expect(shippedThere).toEqual(SHIPPED_DEFAULTS);
    const secretLooking = Object.keys(example).filter((name) => /SECRET|KEY/.test(name) && name !== "STRIPE_SECRET_KEY");
    expect(secretLooking.sort()).toEqual(Object.keys(SHIPPED_DEFAULTS).sort());
  });
});
