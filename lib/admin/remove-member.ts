import type { PrismaClient } from "@/lib/generated/prisma/client";
import { ApiError } from "@/lib/api/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { endSessionsOfUser } from "@/lib/auth/user-sessions";
import { TX_OPTIONS } from "@/lib/metering/types";
import { auditActor, requireAdmin, type Actor } from "./actor";
import { lockSeats } from "./seats";

/**
 * Takes a member out of the org: their membership goes (and with it their
 * seat and allocations), and every session of theirs ends, so their next
 * request is signed out, whatever cookie it carries. Their usage history stays.
 * Refused for yourself, for a super admin unless a super admin asks (as only a
 * super admin may invite one), and for the org's last super admin: under the
 * seat lock, so two super admins removing each other at once leave one.
 */
export async function removeMember(db: PrismaClient, actor: Actor, input: { userId: string }) {
  requireAdmin(actor);
  if (input.userId === actor.userId) throw new ApiError("forbidden", "You cannot remove yourself; ask another admin.");
  await db.$transaction(async (tx) => {
    await lockSeats(tx, actor.orgId);
    const member = await tx.membership.findUnique({ where: { orgId_userId: { orgId: actor.orgId, userId: input.userId } }, include: { user: { select: { email: true } } } });
    if (!member) throw new ApiError("not_found", "That person is not a member of this organization.");
    if (member.role === "super_admin") {
      if (actor.role !== "super_admin") throw new ApiError("forbidden", "Only a super admin can remove a super admin.");
      const others = await tx.membership.count({ where: { orgId: actor.orgId, role: "super_admin", userId: { not: input.userId } } });
      if (others === 0) throw new ApiError("invalid_request", "The organization's last super admin cannot be removed.");
    }
    await tx.membership.delete({ where: { orgId_userId: { orgId: actor.orgId, userId: input.userId } } });
    await endSessionsOfUser(tx, input.userId);
    await recordAudit(tx, {
      orgId: actor.orgId,
      actor: auditActor(actor),
      action: "member_removed",
      before: { member: input.userId, email: member.user.email, role: member.role, seatType: member.seatType },
    });
  }, TX_OPTIONS);
}
