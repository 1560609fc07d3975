import { storedOrg } from "@/lib/db/stored-values";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { ApiError } from "@/lib/api/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { TX_OPTIONS } from "@/lib/metering/types";
import { auditActor, requireAdmin, type Actor } from "./actor";
import { lockSeats, requireFreeSeat, type SeatType } from "./seats";

/** Moves a member to another seat type, if the plan has one free; it changes nothing they may do. */
export async function changeSeatType(db: PrismaClient, actor: Actor, input: { userId: string; seatType: SeatType }, now = new Date()) {
  requireAdmin(actor);
  await db.$transaction(async (tx) => {
    await lockSeats(tx, actor.orgId);
    const org = storedOrg(await tx.org.findUniqueOrThrow({ where: { id: actor.orgId }, select: { id: true, plan: true } }));
    const member = await tx.membership.findUnique({ where: { orgId_userId: { orgId: org.id, userId: input.userId } }, select: { seatType: true } });
    if (!member) throw new ApiError("not_found", "That person is not a member of this organization.");
    if (member.seatType === input.seatType) return;
    await requireFreeSeat(tx, org, input.seatType, now);
    await tx.membership.update({ where: { orgId_userId: { orgId: org.id, userId: input.userId } }, data: { seatType: input.seatType } });
    await recordAudit(tx, {
      orgId: org.id,
      actor: auditActor(actor),
      action: "seat_changed",
      before: { member: input.userId, seatType: member.seatType },
      after: { member: input.userId, seatType: input.seatType },
    });
  }, TX_OPTIONS);
}
