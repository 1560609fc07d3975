import { describe, expect, it } from "vitest";
import { prefersDollars, SHOW_DOLLARS_COOKIE, showDollarsCookie } from "@/lib/preferences/show-dollars";

describe("the Show $ choice", () => {
  it("is kept for the person who made it, and for no one else on the browser", () => {
    const on = showDollarsCookie("user_ada", true);
    expect(on).toMatch(new RegExp(`^${SHOW_DOLLARS_COOKIE}=user_ada; Path=/; Max-Age=\\d+; SameSite=Lax$`));
    const value = on.split(";")[0].split("=")[1];
    expect(prefersDollars(value, "user_ada")).toBe(true);
    expect(prefersDollars(value, "user_alan")).toBe(false);
    expect(prefersDollars(undefined, "user_ada")).toBe(false);
    expect(showDollarsCookie("user_ada", false)).toContain("Max-Age=0");
  });
});
