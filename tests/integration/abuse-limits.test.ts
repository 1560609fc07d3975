import { describe, expect, it } from "vitest";
import { POST as consume } from "@/app/api/v1/usage/consume/route";
import { GET, POST as signIn } from "@/app/api/auth/[...nextauth]/route";
import { call, createApiKey } from "../support/api";
import { createOrg } from "../support/store";

describe("abuse limits", () => {
  it("answers 429 rate_limited to an address that keeps sending bad API keys, and only to it", async () => {
    const { orgId } = await createOrg();
    const key = await createApiKey(orgId);
    const from = (ip: string) => ({ headers: { "x-forwarded-for": ip } });
    const body = { metric: "api_calls", quantity: 1, idempotencyKey: "abuse" };
    for (let i = 0; i < 30; i++) expect((await call(consume, `ll_live_guess_${i}`, body, from("198.51.100.1"))).status).toBe(401);
    const limited = await call(consume, "ll_live_guess_more", body, from("198.51.100.1"));
    expect(limited.status).toBe(429);
    expect(limited.json.error.code).toBe("rate_limited");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    // Even a good key waits from that address; another address is unaffected.
    expect((await call(consume, key, body, from("198.51.100.1"))).status).toBe(429);
    expect((await call(consume, key, body, from("198.51.100.2"))).status).toBe(200);
  });

  it("answers 429 to an address after repeated failed sign-ins", async () => {
    // Auth.js's own flow: a CSRF token from /api/auth/csrf, then the credentials callback.
    const csrf = await GET(new Request("http://localhost/api/auth/csrf") as Parameters<typeof GET>[0]);
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const cookie = csrf.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
    const attempt = () =>
      signIn(new Request("http://localhost/api/auth/callback/demo", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": "198.51.100.9", cookie },
        body: new URLSearchParams({ userId: "not-a-demo-user", csrfToken }),
      }));
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await attempt()).status);
    expect(statuses.slice(0, 10).every((s) => s === 302)).toBe(true); // refused, sent back with ?error=
    expect(statuses[10]).toBe(429);
  });
});
