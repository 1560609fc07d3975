import { describe, expect, it, vi } from "vitest";

vi.mock("@/lib/auth/session", () => import("../support/signed-in"));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));
import type { Role } from "@/lib/auth/roles";
import { getBillingView } from "@/lib/billing-view";
import { readAutoTopUp } from "@/lib/metering/auto-top-up";
import { saveAutoTopUp } from "@/lib/stripe/billing-page-actions";
import { submit } from "../support/server-action";
import { signInAs, signOut } from "../support/signed-in";
import { createOrg, testStore } from "../support/store";
import { auditTrail, linkToStripe } from "../support/stripe-webhook";
import { USD } from "../support/top-ups";

/**
 * Settings > Billing's auto top-up form (saveAutoTopUp): who may save it,
 * what it accepts (whole cents within bounds, a cap that allows one top-up),
 * that a refusal changes nothing, the audit of a change, and what each viewer
 * of the page is given.
 */

const ROLES: Role[] = ["super_admin", "admin", "manager", "user"];
const GOOD = { enabled: "on", threshold: "10", amount: "$1,250.5", monthlyCap: "2500" };

async function orgWithEveryRole() {
  const org = await createOrg({ members: ROLES.map((role) => ({ role })) });
  const member = Object.fromEntries(ROLES.map((role, i) => [role, org.members[i]])) as Record<Role, string>;
  const as = (role: Role) => signInAs(org.orgId, member[role], role);
  return { ...org, member, as };
}

const settingsOf = async (orgId: string) => readAutoTopUp((await testStore()).prisma, orgId);

describe("who may save auto top-up", () => {
  it.each(["super_admin", "admin"] as const)("a %s saves it, audited", async (role) => {
    const org = await orgWithEveryRole();
    org.as(role);
    const outcome = await submit(saveAutoTopUp, { orgId: org.orgId, ...GOOD });
    expect(outcome).toEqual({ state: { tone: "success", message: expect.stringMatching(/^Saved\. When credits fall below \$10\.00, \$1,250\.50 is bought, at most \$2,500\.00 a month\. No payment method is on file yet/) } });
    expect(await settingsOf(org.orgId)).toEqual({ enabled: true, thresholdMicros: 10 * USD, amountMicros: 1_250.5 * USD, monthlyCapMicros: 2_500 * USD });
    expect((await auditTrail(org.orgId)).map((a) => ({ actor: a.actor, action: a.action, before: a.before, after: a.after }))).toEqual([{
      actor: `user:${org.member[role]}`,
      action: "auto_top_up_changed",
      before: { enabled: false },
      after: { enabled: true, thresholdMicros: 10 * USD, amountMicros: 1_250.5 * USD, monthlyCapMicros: 2_500 * USD },
    }]);
  });

  it.each(["manager", "user"] as const)("a %s is answered 403 and nothing is saved", async (role) => {
    const org = await orgWithEveryRole();
    org.as(role);
    expect(await submit(saveAutoTopUp, { orgId: org.orgId, ...GOOD })).toEqual({ status: 403 });
    // The role is checked before the form: an invalid one is a 403 too.
    expect(await submit(saveAutoTopUp, { orgId: org.orgId, threshold: "nonsense" })).toEqual({ status: 403 });
    expect(await settingsOf(org.orgId)).toBeNull();
  });

  it("answers 403 to another org's admin and to a form naming no org; sends the signed-out to sign-in", async () => {
    const target = await orgWithEveryRole();
    const other = await orgWithEveryRole();
    other.as("admin");
    expect(await submit(saveAutoTopUp, { orgId: target.orgId, ...GOOD })).toEqual({ status: 403 });
    expect(await submit(saveAutoTopUp, { ...GOOD })).toEqual({ status: 403 });
    signOut();
    expect(await submit(saveAutoTopUp, { orgId: target.orgId, ...GOOD })).toEqual({ redirect: "/signin?callbackUrl=%2Fsettings%2Fbilling" });
    expect(await settingsOf(target.orgId)).toBeNull();
    expect(await settingsOf(other.orgId)).toBeNull();
  });
});

describe("what the form accepts", () => {
  const refusal = (field: string, message: string) => ({
    state: { tone: "error", message, fields: expect.objectContaining({ [field]: message }), values: expect.any(Object) },
  });

  it("refuses bad amounts with a message naming the field, and changes nothing", async () => {
    const org = await orgWithEveryRole();
    org.as("admin");
    await submit(saveAutoTopUp, { orgId: org.orgId, ...GOOD });
    const before = await settingsOf(org.orgId);
    const dollars = "Enter an amount in dollars, such as 50 or 49.99.";
    const cases: [Record<string, string>, string, string][] = [
      [{ threshold: "abc" }, "threshold", dollars],
      [{ threshold: "-5" }, "threshold", dollars],
      [{ threshold: "0" }, "threshold", "The threshold is from $1.00 to $10,000.00."],
      [{ threshold: "10000.01" }, "threshold", "The threshold is from $1.00 to $10,000.00."],
      [{ amount: "25.505" }, "amount", dollars],
      [{ amount: "" }, "amount", dollars],
      [{ amount: "4.99" }, "amount", "A top-up buys from $5.00 to $10,000.00."],
      [{ monthlyCap: "1e5" }, "monthlyCap", dollars],
      [{ monthlyCap: "100000.01" }, "monthlyCap", "The monthly cap is from $5.00 to $100,000.00."],
      [{ amount: "50", monthlyCap: "49.99" }, "monthlyCap", "The monthly cap must allow at least one top-up: make it at least the amount to buy."],
      [{ enabled: "yes" }, "enabled", "Auto top-up is either on or off."],
    ];
    for (const [fields, field, message] of cases) {
      expect(await submit(saveAutoTopUp, { orgId: org.orgId, ...GOOD, ...fields }), JSON.stringify(fields)).toEqual(refusal(field, message));
    }
    // A missing field is refused too.
    const { monthlyCap: _dropped, ...withoutCap } = GOOD;
    expect(await submit(saveAutoTopUp, { orgId: org.orgId, ...withoutCap })).toMatchObject({ state: { tone: "error", fields: { monthlyCap: dollars } } });
    expect(await settingsOf(org.orgId)).toEqual(before);
    expect(await auditTrail(org.orgId)).toHaveLength(1);
  });

  it("gives back what was typed with a refusal, so the admin fixes it from there", async () => {
    const org = await orgWithEveryRole();
    org.as("admin");
    const outcome = await submit(saveAutoTopUp, { orgId: org.orgId, ...GOOD, threshold: "ten" });
    expect(outcome).toMatchObject({ state: { values: { threshold: "ten", amount: "$1,250.5", monthlyCap: "2500", enabled: "on" } } });
  });

  it("turns it off (an unchecked box sends nothing), audits only what changed, and says when no card is on file", async () => {
    const org = await orgWithEveryRole();
    org.as("admin");
    await submit(saveAutoTopUp, { orgId: org.orgId, ...GOOD });
    await submit(saveAutoTopUp, { orgId: org.orgId, ...GOOD });
    expect(await auditTrail(org.orgId)).toHaveLength(1);
    const { enabled: _off, ...unchecked } = GOOD;
    expect(await submit(saveAutoTopUp, { orgId: org.orgId, ...unchecked })).toEqual({ state: { tone: "success", message: "Saved. Auto top-up is off." } });
    expect(await settingsOf(org.orgId)).toMatchObject({ enabled: false, thresholdMicros: 10 * USD });
    expect((await auditTrail(org.orgId)).map((a) => a.action)).toEqual(["auto_top_up_changed", "auto_top_up_changed"]);

    await linkToStripe(org.orgId);
    expect(await submit(saveAutoTopUp, { orgId: org.orgId, ...GOOD })).toEqual({
      state: { tone: "success", message: "Saved. When credits fall below $10.00, $1,250.50 is bought, at most $2,500.00 a month." },
    });
  });
});

describe("what each viewer of Settings > Billing is given", () => {
  it("admins get the form's values (the defaults until saved); dollar viewers the rule and recent top-ups; others only on or off", async () => {
    const org = await orgWithEveryRole();
    const { prisma } = await testStore();
    const view = async (role: Role) => (await getBillingView(prisma, org.orgId, role)).autoTopUp;

    expect(await view("admin")).toEqual({ enabled: false, rule: null, form: { enabled: false, threshold: "10.00", amount: "50.00", monthlyCap: "200.00" }, recent: [] });
    expect(await view("user")).toEqual({ enabled: false, rule: null, form: null, recent: null });

    org.as("admin");
    await submit(saveAutoTopUp, { orgId: org.orgId, ...GOOD });
    await prisma.creditTopUp.create({ data: { orgId: org.orgId, status: "failed", amountMicros: 1_250.5 * USD, failure: "Stripe could not charge the saved payment method: Your card was declined." } });
    expect(await view("super_admin")).toMatchObject({
      enabled: true,
      rule: "When credits fall below $10.00, buy $1,250.50, at most $2,500.00 a month.",
      form: { enabled: true, threshold: "10.00", amount: "1250.50", monthlyCap: "2500.00" },
      recent: [{ status: "Failed", tone: "danger", amount: "$1,250.50", detail: expect.stringMatching(/declined/) }],
    });
    for (const role of ["manager", "user"] as const) expect(await view(role)).toEqual({ enabled: true, rule: null, form: null, recent: null });

    await prisma.org.update({ where: { id: org.orgId }, data: { previewFlag: true } });
    expect(await view("user")).toMatchObject({ enabled: true, rule: expect.stringMatching(/^When credits fall below \$10\.00/), form: null, recent: [{ status: "Failed" }] });
  });
});
