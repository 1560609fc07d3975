import { expect, test } from "@playwright/test";

/**
 * Server actions posted from another origin (CSRF) are refused by the proxy
 * with 403 and a short text, before Next's own check, which answers 500.
 * Real HTTP against the production server.
 */

// An action id of the right shape: the proxy answers before Next looks it up.
const ACTION = { "next-action": "7f".repeat(21), "content-type": "text/plain;charset=UTF-8" };
const REFUSAL = "Forbidden: this request came from another site.";

test("a server action with a foreign Origin, or Origin: null, answers 403 with a short text", async ({ request }) => {
  for (const origin of ["https://evil.example", "null"]) {
    const response = await request.post("/settings/usage", { headers: { ...ACTION, origin }, data: "[]" });
    expect(response.status(), origin).toBe(403);
    expect(response.headers()["content-type"]).toBe("text/plain; charset=utf-8");
    expect(await response.text()).toBe(REFUSAL);
  }
});

test("a plain cross-origin form post (no Next-Action header) answers 403 too", async ({ request }) => {
  const response = await request.post("/admin/members", { headers: { origin: "https://evil.example" }, multipart: { orgId: "org_acme", userId: "user_linus" } });
  expect(response.status()).toBe(403);
  expect(await response.text()).toBe(REFUSAL);
});

// Past the proxy, Next looks the action up and answers that it has none by that id.
const UNKNOWN_ACTION = { status: 409, body: "Server Action unavailable." };

test("the host compared is X-Forwarded-Host when present, else Host; a same-origin action goes on to Next", async ({ request, baseURL }) => {
  const answer = async (headers: Record<string, string>) => {
    const response = await request.post("/settings/usage", { headers: { ...ACTION, ...headers }, data: "[]" });
    return { status: response.status(), body: await response.text() };
  };
  expect(await answer({ origin: baseURL!, "x-forwarded-host": "app.example" })).toEqual({ status: 403, body: REFUSAL });
  expect(await answer({ origin: "https://app.example", "x-forwarded-host": "app.example" })).toEqual(UNKNOWN_ACTION);
  expect(await answer({ origin: baseURL! })).toEqual(UNKNOWN_ACTION);
});
