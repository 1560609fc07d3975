import { randomUUID } from "node:crypto";
import { userByEmail } from "@/lib/auth/users";
import { storedOrg, storedRole, storedSeatType } from "@/lib/db/stored-values";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { ApiError } from "@/lib/api/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import type { Role } from "@/lib/auth/roles";
import type { Mailer } from "@/lib/mail/mailer";
import { TX_OPTIONS, type Tx } from "@/lib/metering/types";
import { auditActor, requireAdmin, type Actor } from "./actor";
import { invitationEmail, type InvitationLetter } from "./invitation-email";
import { INVITATION_TTL_MS, newInvitationToken } from "./invitation-token";
import { lockSeats, requireFreeSeat, type SeatType } from "./seats";
import { logger } from "@/lib/observability/log";

export interface InvitationInput {
  email: string;
  role: Role;
  seatType: SeatType;
}

export interface SentInvitation {
  invitationId: string;
  /** False when the invitation was saved but the mailer refused it: Resend tries again. */
  emailed: boolean;
}

/**
 * Invites someone by email. Refused when the seat type's plan cap is filled
 * by members and open invitations (and never otherwise), when the address is
 * already a member or already has an open invitation, and when an admin tries
 * to invite a super admin (only a super admin may). The email goes out after
 * the invitation is committed, so a mail failure never loses it.
 */
export async function inviteMember(db: PrismaClient, actor: Actor, input: InvitationInput, mailer: Mailer, now = new Date()): Promise<SentInvitation> {
  requireAdmin(actor);
  if (input.role === "super_admin" && actor.role !== "super_admin") {
    throw new ApiError("forbidden", "Only a super admin can invite another super admin.");
  }
  const email = input.email.trim().toLowerCase();
  const letter = await db.$transaction(async (tx) => {
    const org = await lockOrgSeats(tx, actor.orgId);
    const user = await userByEmail(tx, email);
    const member = user && (await tx.membership.findUnique({ where: { orgId_userId: { orgId: org.id, userId: user.id } }, select: { userId: true } }));
    if (member) throw new ApiError("already_exists", `${email} is already a member of ${org.name}.`, { field: "email" });
    const open = await tx.invitation.findFirst({ where: { orgId: org.id, email, acceptedAt: null, revokedAt: null }, select: { id: true } });
    if (open) throw new ApiError("already_exists", `${email} already has an invitation. Resend or revoke it below.`, { field: "email" });
    await requireFreeSeat(tx, org, input.seatType, now);

    const { token, tokenHash } = newInvitationToken();
    const invitation = await tx.invitation.create({
      data: {
        id: `inv_${randomUUID().replaceAll("-", "")}`,
        orgId: org.id,
        email,
        role: input.role,
        seatType: input.seatType,
        tokenHash,
        invitedById: actor.userId,
        expiresAt: new Date(now.getTime() + INVITATION_TTL_MS),
        createdAt: now,
      },
    });
    await recordAudit(tx, {
      orgId: org.id,
      actor: auditActor(actor),
      action: "invitation_sent",
      after: { invitation: invitation.id, email, role: input.role, seatType: input.seatType },
    });
    return letterFor(tx, org, invitation, token, actor.userId);
  }, TX_OPTIONS);
  return { invitationId: letter.invitationId, emailed: await post(mailer, letter) };
}

/**
 * Sends an open invitation again with a new link (the old one stops working)
 * and a new expiry. An expired invitation held no seat, so sending it again
 * must find one free.
 */
export async function resendInvitation(db: PrismaClient, actor: Actor, invitationId: string, mailer: Mailer, now = new Date()): Promise<SentInvitation> {
  requireAdmin(actor);
  const letter = await db.$transaction(async (tx) => {
    const org = await lockOrgSeats(tx, actor.orgId);
    const invitation = await openInvitation(tx, org.id, invitationId);
    if (invitation.expiresAt <= now) await requireFreeSeat(tx, org, invitation.seatType, now);
    const { token, tokenHash } = newInvitationToken();
    const renewed = await tx.invitation.update({
      where: { orgId_id: { orgId: org.id, id: invitation.id } },
      data: { tokenHash, expiresAt: new Date(now.getTime() + INVITATION_TTL_MS), sentCount: { increment: 1 } },
    });
    await recordAudit(tx, {
      orgId: org.id,
      actor: auditActor(actor),
      action: "invitation_resent",
      before: { invitation: invitation.id, expiresAt: invitation.expiresAt },
      after: { invitation: invitation.id, expiresAt: renewed.expiresAt },
    });
    return letterFor(tx, org, renewed, token, actor.userId);
  }, TX_OPTIONS);
  return { invitationId, emailed: await post(mailer, letter) };
}

/** Withdraws an open invitation: its link stops working and its seat is free again. */
export async function revokeInvitation(db: PrismaClient, actor: Actor, invitationId: string, now = new Date()) {
  requireAdmin(actor);
  await db.$transaction(async (tx) => {
    const org = await lockOrgSeats(tx, actor.orgId);
    const invitation = await openInvitation(tx, org.id, invitationId);
    await tx.invitation.update({ where: { orgId_id: { orgId: org.id, id: invitation.id } }, data: { revokedAt: now } });
    await recordAudit(tx, {
      orgId: org.id,
      actor: auditActor(actor),
      action: "invitation_revoked",
      before: { invitation: invitation.id, email: invitation.email, role: invitation.role, seatType: invitation.seatType },
    });
  }, TX_OPTIONS);
}

async function lockOrgSeats(tx: Tx, orgId: string) {
  await lockSeats(tx, orgId);
  return storedOrg(await tx.org.findUniqueOrThrow({ where: { id: orgId }, select: { id: true, name: true, plan: true } }));
}

async function openInvitation(tx: Tx, orgId: string, invitationId: string) {
  const invitation = await tx.invitation.findFirst({ where: { id: invitationId, orgId, acceptedAt: null, revokedAt: null } });
  if (!invitation) throw new ApiError("not_found", "That invitation was already accepted or revoked.");
  return { ...invitation, role: storedRole(invitation.role), seatType: storedSeatType(invitation.seatType) };
}

async function letterFor(
  tx: Tx,
  org: { id: string; name: string },
  invitation: { id: string; email: string; role: string; seatType: string; expiresAt: Date; sentCount: number },
  token: string,
  senderId: string,
): Promise<InvitationLetter> {
  const inviter = await tx.user.findUnique({ where: { id: senderId }, select: { name: true } });
  return {
    invitationId: invitation.id,
    orgId: org.id,
    orgName: org.name,
    email: invitation.email,
    role: storedRole(invitation.role),
    seatType: storedSeatType(invitation.seatType),
    inviterName: inviter?.name ?? "An admin",
    token,
    expiresAt: invitation.expiresAt,
    sending: invitation.sentCount,
  };
}

async function post(mailer: Mailer, letter: InvitationLetter): Promise<boolean> {
  try {
    await mailer.send(invitationEmail(letter));
    return true;
  } catch (error) {
    logger().error({ err: error, invitationId: letter.invitationId }, "invitation saved but not emailed");
    return false;
  }
}
