import { describe, expect, it } from "vitest";
import { ADMIN_ROLES, isAdmin, ROLES } from "@/lib/auth/roles";
import { dollarsText } from "@/lib/billing-view";
import { GENERATED_FUNCTIONS } from "@/lib/db/generated-functions";
import { AUTO_TOP_UP } from "@/lib/limits/stripe-prices";
import { topUpGrantReference, topUpIdempotencyKey } from "@/lib/metering/auto-top-up";
import { describeTopUpNotice } from "@/lib/notifications/top-up-notice";
import { autoTopUpForm } from "@/lib/stripe/billing-forms";
import { autoTopUpMetadata, autoTopUpMetadataFor } from "@/lib/stripe/top-up-payment";

const USD = 1_000_000;
const parse = (fields: Record<string, string>) => autoTopUpForm.safeParse({ enabled: "on", threshold: "10", amount: "50", monthlyCap: "200", ...fields });

describe("the auto top-up form", () => {
  it("reads dollars and cents as integer micro-dollars, without floats", () => {
    expect(parse({ threshold: "1.29" }).data?.thresholdMicros).toBe(1_290_000);
    expect(parse({ amount: "$1,250.05", monthlyCap: "1250.05" }).data).toEqual({ enabled: true, thresholdMicros: 10 * USD, amountMicros: 1_250_050_000, monthlyCapMicros: 1_250_050_000 });
    expect(parse({ amount: " 19.9 " }).data?.amountMicros).toBe(19_900_000);
  });

  it("is off when the box is unchecked (the field is absent), and refuses any other value", () => {
    const { enabled: _on, ...unchecked } = { enabled: "on", threshold: "10", amount: "50", monthlyCap: "200" };
    expect(autoTopUpForm.safeParse(unchecked).data?.enabled).toBe(false);
    expect(parse({ enabled: "true" }).error?.issues[0]).toMatchObject({ path: ["enabled"], message: "Auto top-up is either on or off." });
  });

  it("keeps every amount to whole cents within its bounds", () => {
    expect(parse({ amount: "10.001" }).error?.issues[0]).toMatchObject({ path: ["amount"], message: "Enter an amount in dollars, such as 50 or 49.99." });
    expect(parse({ threshold: "0.99" }).error?.issues[0]).toMatchObject({ path: ["threshold"], message: "The threshold is from $1.00 to $10,000.00." });
    expect(parse({ amount: "10000.01", monthlyCap: "20000" }).error?.issues[0]).toMatchObject({ path: ["amount"], message: "A top-up buys from $5.00 to $10,000.00." });
    expect(parse({ monthlyCap: "4.99", amount: "5" }).error?.issues[0].path).toEqual(["monthlyCap"]);
    expect(parse({ amount: "5", monthlyCap: "5" }).success).toBe(true);
    expect(parse({ amount: "10000", monthlyCap: "100000", threshold: "10000" }).success).toBe(true);
  });

  it("needs a monthly cap that allows at least one top-up", () => {
    expect(parse({ amount: "50", monthlyCap: "49.99" }).error?.issues).toMatchObject([
      { path: ["monthlyCap"], message: "The monthly cap must allow at least one top-up: make it at least the amount to buy." },
    ]);
  });

  it("starts from defaults the form itself accepts", () => {
    const { thresholdMicros, amountMicros, monthlyCapMicros } = AUTO_TOP_UP.defaults;
    expect(parse({ threshold: dollarsText(thresholdMicros), amount: dollarsText(amountMicros), monthlyCap: dollarsText(monthlyCapMicros) }).data)
      .toEqual({ enabled: true, ...AUTO_TOP_UP.defaults });
  });
});

describe("dollarsText", () => {
  it("shows whole cents as the form reads them", () => {
    expect(dollarsText(10 * USD)).toBe("10.00");
    expect(dollarsText(1_250_050_000)).toBe("1250.05");
    expect(dollarsText(290_000)).toBe("0.29");
    expect(parse({ amount: dollarsText(1_250_050_000), monthlyCap: "2000" }).data?.amountMicros).toBe(1_250_050_000);
  });
});

describe("a top-up's names at Stripe", () => {
  it("one idempotency key and one grant reference per top-up; metadata that reads back", () => {
    expect(topUpIdempotencyKey("org_a", "7")).toBe("top-up:org_a:7");
    expect(topUpIdempotencyKey("org_b", "7")).not.toBe(topUpIdempotencyKey("org_a", "7"));
    expect(topUpGrantReference("7")).toBe("top-up:7");
    expect(autoTopUpMetadata.parse(autoTopUpMetadataFor("org_a", "7"))).toEqual({ purpose: "auto_top_up", orgId: "org_a", topUpId: "7" });
    expect(autoTopUpMetadata.safeParse({ purpose: "credit_purchase", orgId: "org_a", topUpId: "7" }).success).toBe(false);
    expect(autoTopUpMetadata.safeParse({ purpose: "auto_top_up", orgId: "org_a", topUpId: "7; DROP" }).success).toBe(false);
  });
});

describe("the admins' notification", () => {
  it("names the amount only for readers who may see dollars, and says AI keeps running", () => {
    const refused = describeTopUpNotice({ status: "refused", amountMicros: 50 * USD, failure: null }, true);
    expect(refused.title).toBe("Auto top-up refused: monthly cap reached");
    expect(refused.detail).toContain("A top-up of $50.00 was not bought");
    expect(describeTopUpNotice({ status: "refused", amountMicros: 50 * USD, failure: null }, false).detail).not.toMatch(/\$/);

    const failed = describeTopUpNotice({ status: "failed", amountMicros: 50 * USD, failure: "Your card was declined." }, true);
    expect(failed).toEqual({
      title: "Auto top-up failed",
      detail: "A top-up of $50.00 could not be charged. Your card was declined. AI access is not paused; it keeps using the credits and pool left. Check the payment method in Settings > Billing.",
    });
  });
});

describe("who is told", () => {
  it("the store's admin roles are isAdmin's", () => {
    expect(ROLES.filter(isAdmin)).toEqual([...ADMIN_ROLES]);
    expect(GENERATED_FUNCTIONS.ledgerline_admin_roles.body()).toBe("SELECT ARRAY['super_admin', 'admin']::text[]");
  });
});
