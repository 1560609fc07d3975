import { describe, expect, it } from "vitest";
import { removeMember } from "@/lib/admin/remove-member";
import { countSeats } from "@/lib/admin/seats";
import { createOrg, onServer } from "../support/store";

const NOW = new Date("2026-03-20T12:00:00Z");

async function org() {
  const { orgId, db, members } = await createOrg({
    plan: "free",
    members: [{ role: "super_admin", seatType: "power" }, { role: "super_admin", seatType: "collaborator" }, { role: "admin", seatType: "collaborator" }, { role: "user", seatType: "collaborator" }],
  });
  const [owner, coOwner, admin, user] = members;
  const as = (userId: string, role: "super_admin" | "admin" | "manager" | "user") => ({ userId, orgId, role });
  return { orgId, db, owner, coOwner, admin, user, as };
}

describe("removing a member", () => {
  it("deletes the membership, frees the seat and is audited with who it was", async () => {
    const { orgId, db, admin, user, as } = await org();
    const collaborators = async () => (await countSeats(db, orgId, "free", NOW)).find((s) => s.seatType === "collaborator")!.members;
    expect(await collaborators()).toBe(3);
    await removeMember(db, as(admin, "admin"), { userId: user });
    expect(await db.membership.findUnique({ where: { orgId_userId: { orgId, userId: user } } })).toBeNull();
    expect(await collaborators()).toBe(2);
    const [entry] = await db.auditEntry.findMany({ where: { orgId, action: "member_removed" } });
    expect([entry.actor, entry.before]).toEqual([`user:${admin}`, { member: user, email: `${user}@example.test`, role: "user", seatType: "collaborator" }]);
  });

  it("refuses yourself, a super admin unless a super admin asks, a non-member and a manager, changing nothing", async () => {
    const { orgId, db, owner, coOwner, admin, user, as } = await org();
    await expect(removeMember(db, as(admin, "admin"), { userId: admin })).rejects.toMatchObject({ code: "forbidden", message: "You cannot remove yourself; ask another admin." });
    await expect(removeMember(db, as(admin, "admin"), { userId: owner })).rejects.toMatchObject({ code: "forbidden", message: "Only a super admin can remove a super admin." });
    await expect(removeMember(db, as(admin, "admin"), { userId: "user_elsewhere" })).rejects.toMatchObject({ code: "not_found" });
    await expect(removeMember(db, as(user, "manager"), { userId: admin })).rejects.toMatchObject({ code: "forbidden" });
    expect(await db.membership.count({ where: { orgId } })).toBe(4);
    expect(await db.auditEntry.count({ where: { orgId } })).toBe(0);
    await removeMember(db, as(owner, "super_admin"), { userId: coOwner });
    expect(await db.membership.count({ where: { orgId, role: "super_admin" } })).toBe(1);
  });

  it("never removes the last super admin: two removing each other, the second (its session read before the first) is refused", async () => {
    const { orgId, db, owner, coOwner, as } = await org();
    await removeMember(db, as(owner, "super_admin"), { userId: coOwner });
    await expect(removeMember(db, as(coOwner, "super_admin"), { userId: owner })).rejects.toMatchObject({
      code: "invalid_request",
      message: "The organization's last super admin cannot be removed.",
    });
    expect((await db.membership.findMany({ where: { orgId, role: "super_admin" } })).map((m) => m.userId)).toEqual([owner]);
  });
});

describe.skipIf(!onServer)("removing a member under concurrency (real Postgres)", () => {
  it("two super admins removing each other at once leave exactly one", async () => {
    const { orgId, db, owner, coOwner, as } = await org();
    const results = await Promise.allSettled([removeMember(db, as(owner, "super_admin"), { userId: coOwner }), removeMember(db, as(coOwner, "super_admin"), { userId: owner })]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect(await db.membership.count({ where: { orgId, role: "super_admin" } })).toBe(1);
  });
});
