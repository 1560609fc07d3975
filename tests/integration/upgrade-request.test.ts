import { describe, expect, it, vi } from "vitest";

vi.mock("@/lib/auth/session", () => import("../support/signed-in"));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));
import { askAdminToUpgrade } from "@/app/(app)/notifications/actions";
import { listNotifications } from "@/lib/notifications/notification-list";
import { askAdminsToUpgrade } from "@/lib/notifications/upgrade-request";
import { form, isForbidden, signInAs } from "../support/signed-in";
import { createOrg } from "../support/store";

/**
 * "Ask an admin to upgrade": a member who cannot change the plan tells every
 * admin of the org, once a day however often they ask; an admin, an org with
 * nothing to upgrade to, or another org's member gets no notification made.
 */
async function scene(plan: "free" | "pro" | "ultra" = "pro") {
  const { orgId, db, members } = await createOrg({ plan, members: [{ role: "super_admin" }, { role: "admin" }, { role: "manager" }, { role: "user" }] });
  const [superAdmin, admin, manager, user] = members;
  return { orgId, db, superAdmin, admin, manager, user };
}
const requestsIn = (s: Awaited<ReturnType<typeof scene>>) => s.db.notification.findMany({ where: { orgId: s.orgId, upgradeRequestedBy: { not: null } }, orderBy: { userId: "asc" } });

describe("ask an admin to upgrade", () => {
  it("a user's request reaches each admin and super admin once, worded with who asked", async () => {
    const s = await scene();
    signInAs(s.orgId, s.user, "user");
    expect(await askAdminToUpgrade(null, form({ orgId: s.orgId }))).toMatchObject({ tone: "success" });
    const rows = await requestsIn(s);
    expect(rows.map((r) => r.userId).sort()).toEqual([s.superAdmin, s.admin].sort());
    expect(rows.every((r) => r.upgradeRequestedBy === s.user && r.alertId === null)).toBe(true);

    const [seen] = await listNotifications(s.db, { orgId: s.orgId, userId: s.admin, role: "admin" });
    expect(seen.title).toMatch(/ asks to upgrade the plan$/);
    expect(seen.detail).toBe("The org is on Pro. Pick a higher tier in Settings > Billing if more room is needed.");
    expect(seen.unread).toBe(true);
  });

  it("asking again the same day, even at once, tells no one twice; the next day asks again", async () => {
    const s = await scene("free");
    const asker = { orgId: s.orgId, userId: s.manager, role: "manager" as const };
    const day = new Date("2026-12-03T09:00:00Z");
    await Promise.all([askAdminsToUpgrade(s.db, asker, day), askAdminsToUpgrade(s.db, asker, day), askAdminsToUpgrade(s.db, asker, new Date("2026-12-03T23:59:00Z"))]);
    expect(await requestsIn(s)).toHaveLength(2);
    await askAdminsToUpgrade(s.db, asker, new Date("2026-12-04T00:00:00Z"));
    expect(await requestsIn(s)).toHaveLength(4);
  });

  it("refuses where Upgrade does not apply or the asker can upgrade, and makes nothing", async () => {
    const ultra = await scene("ultra");
    expect(await askAdminsToUpgrade(ultra.db, { orgId: ultra.orgId, userId: ultra.user, role: "user" })).toEqual({ refused: "not_applicable" });
    expect(await requestsIn(ultra)).toHaveLength(0);
    const pro = await scene();
    expect(await askAdminsToUpgrade(pro.db, { orgId: pro.orgId, userId: pro.admin, role: "admin" })).toEqual({ refused: "not_applicable" });
    signInAs(pro.orgId, pro.user, "user");
    await expect(askAdminToUpgrade(null, form({ orgId: ultra.orgId }))).rejects.toSatisfy(isForbidden);
    expect(await requestsIn(pro)).toHaveLength(0);
    expect(await requestsIn(ultra)).toHaveLength(0);
  });
});
