import { defineConfig } from "vitest/config";
import base from "./vitest.config.ts";

/** `npm run test:faults`: crash, outage and stall tests against the production build on a real Postgres. */
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ["tests/faults/**/*.test.ts"],
    exclude: ["node_modules/**"],
    globalSetup: [...(base.test?.globalSetup as string[]), "tests/faults/build.ts"],
    testTimeout: 180_000,
    hookTimeout: 600_000,
  },
});
