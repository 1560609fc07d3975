import { describe, expect, it } from "vitest";
import { PLAN_IDS } from "@/lib/limits/plans";
import { BILLING_INTERVALS, planForStripePrice, stripePriceFor, type PaidPlanId } from "@/lib/limits/stripe-prices";

describe("the Stripe price table", () => {
  it("maps every paid plan and interval to a price and back", () => {
    for (const plan of PLAN_IDS.filter((p): p is PaidPlanId => p !== "free")) {
      for (const interval of BILLING_INTERVALS) {
        expect(planForStripePrice(stripePriceFor(plan, interval, {}), {})).toEqual({ plan, interval });
      }
    }
    expect(stripePriceFor("pro", "month", {})).toBe("price_pro_month");
  });

  it("takes price ids from the environment, and knows no other", () => {
    const env = { STRIPE_PRICE_BUSINESS_YEAR: "price_1QbXyz" };
    expect(stripePriceFor("business", "year", env)).toBe("price_1QbXyz");
    expect(planForStripePrice("price_1QbXyz", env)).toEqual({ plan: "business", interval: "year" });
    expect(planForStripePrice("price_business_year", env)).toBeNull();
    expect(planForStripePrice("price_unknown", env)).toBeNull();
  });
});
