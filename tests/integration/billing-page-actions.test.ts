import { beforeAll, describe, expect, it, vi } from "vitest";
import { auth } from "@/auth";
import type { Role } from "@/lib/auth/roles";
import { buyCredits, confirmPlanChange, openBillingPortal } from "@/lib/stripe/billing-page-actions";
import { NOT_CONNECTED_MESSAGE } from "@/lib/stripe/billing-outcome";
import { startFakeStripe, useFakeStripe } from "../support/fake-stripe";
import { submit } from "../support/server-action";
import { signedInSession } from "../support/session-cookie";
import { createOrg } from "../support/store";
import { newSubscriptionId } from "../support/stripe-objects";
import { linkToStripe } from "../support/stripe-webhook";

/**
 * The billing pages' server actions: who may call them (each role, another
 * org's admin, nobody signed in), what they accept, and what they do when
 * Stripe is absent or fails. Stripe is the loopback stand-in; the session is
 * the real membership lookup behind a stubbed Auth.js.
 */

vi.mock("@/auth", () => ({ auth: vi.fn() }));
const signedInAs = (userId: string | null) => vi.mocked(auth).mockImplementation((async () => (userId ? signedInSession(userId) : null)) as never);

const fake = useFakeStripe();

beforeAll(() => {
  // next.config.ts turns on authInterrupts for the app; forbidden() checks this flag.
  process.env.__NEXT_EXPERIMENTAL_AUTH_INTERRUPTS = "true";
});

const ROLES: Role[] = ["super_admin", "admin", "manager", "user"];

/** An org with one member of each role, by role. */
async function orgWithEveryRole(plan: "free" | "pro" = "free") {
  const org = await createOrg({ plan, members: ROLES.map((role) => ({ role })) });
  const member = Object.fromEntries(ROLES.map((role, i) => [role, org.members[i]])) as Record<Role, string>;
  return { ...org, member };
}

const stripeCustomer = async (org: Awaited<ReturnType<typeof createOrg>>) =>
  (await org.db.org.findUniqueOrThrow({ where: { id: org.orgId } })).stripeCustomerId;

describe("who may use the billing actions", () => {
  const actions = [
    { name: "openBillingPortal", action: openBillingPortal, fields: {}, stripePage: /^https:\/\/billing\.stripe\.test\// },
    { name: "confirmPlanChange", action: confirmPlanChange, fields: { plan: "pro", interval: "month" }, stripePage: /^https:\/\/checkout\.stripe\.test\// },
    { name: "buyCredits", action: buyCredits, fields: { amount: "50" }, stripePage: /^https:\/\/checkout\.stripe\.test\// },
  ] as const;

  for (const { name, action, fields, stripePage } of actions) {
    describe(name, () => {
      it.each(["super_admin", "admin"] as const)("sends a %s to Stripe", async (role) => {
        const org = await orgWithEveryRole();
        signedInAs(org.member[role]);
        const outcome = await submit(action, { orgId: org.orgId, ...fields });
        expect(outcome).toEqual({ redirect: expect.stringMatching(stripePage) });
        expect(await stripeCustomer(org)).toMatch(/^cus_/);
      });

      it.each(["manager", "user"] as const)("answers a %s 403 without touching Stripe", async (role) => {
        const org = await orgWithEveryRole();
        signedInAs(org.member[role]);
        expect(await submit(action, { orgId: org.orgId, ...fields })).toEqual({ status: 403 });
        expect(fake.requests).toEqual([]);
        expect(await stripeCustomer(org)).toBeNull();
      });

      it("answers 403 to an admin of another org posting this org's form", async () => {
        const target = await orgWithEveryRole();
        const other = await orgWithEveryRole();
        signedInAs(other.member.admin);
        expect(await submit(action, { orgId: target.orgId, ...fields })).toEqual({ status: 403 });
        expect(fake.requests).toEqual([]);
        expect(await stripeCustomer(target)).toBeNull();
        expect(await stripeCustomer(other)).toBeNull();
      });

      it("answers 403 to a form that names no org", async () => {
        const org = await orgWithEveryRole();
        signedInAs(org.member.admin);
        expect(await submit(action, { ...fields })).toEqual({ status: 403 });
        expect(fake.requests).toEqual([]);
      });

      it("sends a signed-out caller to sign-in", async () => {
        const org = await orgWithEveryRole();
        signedInAs(null);
        expect(await submit(action, { orgId: org.orgId, ...fields })).toEqual({ redirect: "/signin?callbackUrl=%2Fsettings%2Fbilling" });
        expect(fake.requests).toEqual([]);
      });
    });
  }

  it("checks the role before the input: a user's invalid form is still a 403", async () => {
    const org = await orgWithEveryRole();
    signedInAs(org.member.user);
    expect(await submit(buyCredits, { orgId: org.orgId, amount: "nonsense" })).toEqual({ status: 403 });
    expect(await submit(confirmPlanChange, { orgId: org.orgId, plan: "platinum" })).toEqual({ status: 403 });
  });
});

describe("input validation", () => {
  async function admin() {
    const org = await orgWithEveryRole();
    signedInAs(org.member.admin);
    return org;
  }
  const refusal = (message: RegExp | string) => ({ state: { tone: "error", message: typeof message === "string" ? message : expect.stringMatching(message) } });

  it("refuses plans, intervals and return pages it does not know, before calling Stripe", async () => {
    const { orgId } = await admin();
    expect(await submit(confirmPlanChange, { orgId, plan: "platinum", interval: "month" })).toEqual(refusal(/./));
    expect(await submit(confirmPlanChange, { orgId, plan: "pro", interval: "week" })).toEqual(refusal(/./));
    expect(await submit(confirmPlanChange, { orgId })).toEqual(refusal(/./));
    expect(await submit(openBillingPortal, { orgId, returnTo: "https://evil.example/phish" })).toEqual(refusal(/./));
    expect(await submit(buyCredits, { orgId, amount: "50", returnTo: "//evil.example" })).toEqual(refusal(/./));
    expect(fake.requests).toEqual([]);
  });

  it("refuses credit amounts that are not dollars and cents within the bounds", async () => {
    const { orgId } = await admin();
    const bounds = "Credits are bought from $5.00 to $10,000.00.";
    expect(await submit(buyCredits, { orgId, amount: "4.99" })).toEqual(refusal(bounds));
    expect(await submit(buyCredits, { orgId, amount: "10000.01" })).toEqual(refusal(bounds));
    expect(await submit(buyCredits, { orgId, amount: "0" })).toEqual(refusal(bounds));
    for (const amount of ["", "abc", "-10", "25.505", "1e3", "12.5.0"]) {
      expect(await submit(buyCredits, { orgId, amount })).toEqual(refusal("Enter an amount in dollars, such as 50 or 49.99."));
    }
    expect(await submit(buyCredits, { orgId })).toEqual(refusal(/./));
    expect(fake.requests).toEqual([]);
  });

  it("turns dollars and cents into the Checkout amount, and comes back to the page it was sent from", async () => {
    const { orgId } = await admin();
    const outcome = await submit(buyCredits, { orgId, amount: "$1,250.5", returnTo: "/admin/billing" });
    expect(outcome).toEqual({ redirect: expect.stringMatching(/^https:\/\/checkout\.stripe\.test\//) });
    const session = fake.requests.find((r) => r.path === "/v1/checkout/sessions")!;
    expect(session.form).toMatchObject({
      mode: "payment",
      "line_items[0][price_data][unit_amount]": "125050",
      "metadata[amountMicros]": "1250500000",
      "metadata[orgId]": orgId,
      success_url: "http://localhost:3000/admin/billing?credits=success",
    });
  });

  it("acts on the session's org whatever else the form carries", async () => {
    const { orgId } = await admin();
    await submit(confirmPlanChange, { orgId, plan: "business", interval: "year", client_reference_id: "org_someone_else" });
    const session = fake.requests.find((r) => r.path === "/v1/checkout/sessions")!;
    expect(session.form).toMatchObject({ client_reference_id: orgId, "line_items[0][price]": "price_business_year", success_url: "http://localhost:3000/settings/billing?checkout=success" });
  });
});

describe("plan changes without Checkout", () => {
  it("says the subscription is being updated, and that the page follows Stripe's confirmation", async () => {
    const org = await orgWithEveryRole("pro");
    const subscription = newSubscriptionId();
    const { customer } = await linkToStripe(org.orgId, { subscription });
    fake.addSubscription({ id: subscription, customer, anchor: new Date(), priceId: "price_pro_month" });
    signedInAs(org.member.admin);

    expect(await submit(confirmPlanChange, { orgId: org.orgId, plan: "ultra", interval: "month" })).toEqual({
      state: { tone: "success", message: expect.stringMatching(/^Stripe is moving the subscription to Ultra/) },
    });
    expect(await submit(confirmPlanChange, { orgId: org.orgId, plan: "free" })).toEqual({
      state: { tone: "success", message: expect.stringMatching(/moves to Free/) },
    });
    // Stripe's events change the org, not the action.
    expect((await org.db.org.findUniqueOrThrow({ where: { id: org.orgId } })).plan).toBe("pro");
  });
});

describe("when Stripe is absent or fails", () => {
  it("answers 'not connected' under the demo's placeholder key, without a request", async () => {
    const org = await orgWithEveryRole();
    signedInAs(org.member.admin);
    delete process.env.STRIPE_API_BASE;
    try {
      for (const [action, fields] of [[openBillingPortal, {}], [confirmPlanChange, { plan: "pro" }], [buyCredits, { amount: "50" }]] as const) {
        expect(await submit(action, { orgId: org.orgId, ...fields })).toEqual({ state: { tone: "error", message: NOT_CONNECTED_MESSAGE } });
      }
    } finally {
      process.env.STRIPE_API_BASE = fake.url;
    }
    expect(fake.requests).toEqual([]);
    expect(await stripeCustomer(org)).toBeNull();
  });

  it("answers 'not connected' without any key", async () => {
    const org = await orgWithEveryRole();
    signedInAs(org.member.admin);
    const key = process.env.STRIPE_SECRET_KEY;
    delete process.env.STRIPE_SECRET_KEY;
    try {
      expect(await submit(openBillingPortal, { orgId: org.orgId })).toEqual({ state: { tone: "error", message: NOT_CONNECTED_MESSAGE } });
    } finally {
      process.env.STRIPE_SECRET_KEY = key;
    }
  });

  it("passes Stripe's refusal on to the admin instead of failing the page", async () => {
    const org = await orgWithEveryRole("pro");
    await linkToStripe(org.orgId, { subscription: newSubscriptionId() }); // unknown to Stripe
    signedInAs(org.member.admin);
    const quiet = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      expect(await submit(confirmPlanChange, { orgId: org.orgId, plan: "business", interval: "month" })).toEqual({
        state: { tone: "error", message: expect.stringMatching(/^Stripe could not do this: No such subscription/) },
      });
    } finally {
      quiet.mockRestore();
    }
  });

  it("says so when Stripe cannot be reached", async () => {
    const org = await orgWithEveryRole();
    signedInAs(org.member.admin);
    const closed = await startFakeStripe();
    await closed.close();
    process.env.STRIPE_API_BASE = closed.url;
    const quiet = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      expect(await submit(openBillingPortal, { orgId: org.orgId })).toEqual({
        state: { tone: "error", message: "Stripe could not be reached. Nothing was changed; try again in a moment." },
      });
    } finally {
      quiet.mockRestore();
      process.env.STRIPE_API_BASE = fake.url;
    }
  });
});
