import { describe, expect, it } from "vitest";
import { safeReturnPath } from "@/lib/auth/return-path";
import { audienceOf } from "@/lib/auth/page-audience";
import { canManagePlan, canSeeDollars, isAdmin, ROLE_LABELS, ROLES, type Role } from "@/lib/auth/roles";
import { upgradeHref } from "@/lib/plan-upgrade";

describe("roles", () => {
  it("dollars for admins and super admins, or everyone with the preview flag", () => {
    expect(ROLES.filter((role) => canSeeDollars(role, false))).toEqual(["super_admin", "admin"]);
    expect(ROLES.every((role) => canSeeDollars(role, true))).toBe(true);
  });

  it("plan management for managers and up", () => {
    expect(ROLES.filter(canManagePlan)).toEqual(["super_admin", "admin", "manager"]);
    expect(ROLES.filter(isAdmin)).toEqual(["super_admin", "admin"]);
  });
});

describe("Upgrade", () => {
  it("Free opens the signup wizard, paid and active opens Settings > Billing, Ultra has none", () => {
    expect(upgradeHref("free", "active")).toBe("/signup/plan");
    expect(upgradeHref("pro", "active")).toBe("/settings/billing");
    expect(upgradeHref("business", "trialing")).toBe("/settings/billing");
    expect(upgradeHref("ultra", "active")).toBeNull();
  });

  it("is hidden while a paid subscription is not active", () => {
    expect(upgradeHref("business", "unpaid")).toBeNull();
    expect(upgradeHref("pro", "past_due")).toBeNull();
  });
});

describe("return path after sign-in", () => {
  it("keeps paths on this site only", () => {
    expect(safeReturnPath("/admin/billing")).toBe("/admin/billing");
    expect(safeReturnPath("//evil.test/x")).toBe("/settings/usage");
    expect(safeReturnPath("https://evil.test")).toBe("/settings/usage");
    expect(safeReturnPath("/\\evil.test")).toBe("/settings/usage");
    expect(safeReturnPath(undefined)).toBe("/settings/usage");
  });
});

describe("who a refusing page is for", () => {
  it("names canManagePlan's people for Admin > Billing and isAdmin's for every other admin page", () => {
    const named = (admits: (role: Role) => boolean) =>
      ROLES.filter(admits).map((role) => ROLE_LABELS[role].toLowerCase());
    expect(audienceOf("/admin/billing")).toBe("managers, admins and super admins");
    expect(named(canManagePlan).sort()).toEqual(["admin", "manager", "super admin"]);
    expect(audienceOf("/admin/members")).toBe("admins and super admins");
    expect(named(isAdmin).sort()).toEqual(["admin", "super admin"]);
  });
});
