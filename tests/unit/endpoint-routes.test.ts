import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ENDPOINTS } from "@/app/api/endpoints";

/**
 * The enforcement API has two entry points: the production server answers
 * ENDPOINTS itself, and `next dev` (and the route tests) reach the same
 * endpoints through the route files. They must serve the same paths and methods.
 */
const ROUTES_ROOTS = ["app/api", "app/metrics"];
// Next-only routes: Auth.js's own handlers, the Stripe webhook (raw bytes, verified before anything else)
// and the API reference page with its script (HTML and JavaScript, not the API's JSON).
const NEXT_ONLY = new Set(["/api/auth/[...nextauth]", "/api/webhooks/stripe", "/api/docs", "/api/docs/reference.js"]);
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return routeFiles(full);
    return entry.name === "route.ts" ? [full] : [];
  });
}

describe("ENDPOINTS and the route files", () => {
  it("serve the same paths and methods", async () => {
    const served: string[] = [];
    for (const file of ROUTES_ROOTS.flatMap(routeFiles)) {
      const route = `/${path.dirname(file).slice("app/".length)}`;
      if (NEXT_ONLY.has(route)) continue;
      const handlers = (await import(`@/${file.replace(/\.ts$/, "")}`)) as Record<string, unknown>;
      for (const method of METHODS) if (typeof handlers[method] === "function") served.push(`${method} ${route}`);
    }
    expect(served.sort()).toEqual(Object.keys(ENDPOINTS).sort());
  });
});
