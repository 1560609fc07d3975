import { describe, expect, it } from "vitest";
import { stripeConnected } from "@/lib/stripe/config";

describe("stripeConnected", () => {
  it("is off without a key, and under the demo's placeholder aimed at api.stripe.com", () => {
    expect(stripeConnected({})).toBe(false);
    expect(stripeConnected({ STRIPE_SECRET_KEY: "  " })).toBe(false);
    expect(stripeConnected({ STRIPE_SECRET_KEY: "sk_test_placeholder" })).toBe(false);
  });

  it("is on for any other key, and for the placeholder aimed at a stand-in", () => {
    expect(stripeConnected({ STRIPE_SECRET_KEY: "sk_test_51AbCdEf" })).toBe(true);
    expect(stripeConnected({ STRIPE_SECRET_KEY: "rk_live_51AbCdEf" })).toBe(true);
    expect(stripeConnected({ STRIPE_SECRET_KEY: "sk_test_placeholder", STRIPE_API_BASE: "http://127.0.0.1:12111" })).toBe(true);
  });

  it("counts a key of the wrong shape as meant, so its first call names the problem", () => {
    expect(stripeConnected({ STRIPE_SECRET_KEY: "pk_test_123" })).toBe(true);
  });
});
