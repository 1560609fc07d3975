import { randomUUID } from "node:crypto";
import { userByEmail } from "@/lib/auth/users";
import { storedRole, storedSeatType } from "@/lib/db/stored-values";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { ApiError } from "@/lib/api/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import type { Role } from "@/lib/auth/roles";
import { attachSessionToUser, liveSession } from "@/lib/auth/user-sessions";
import { TX_OPTIONS } from "@/lib/metering/types";
import { auditActor } from "./actor";
import { hashInvitationToken } from "./invitation-token";
import { lockSeats, type SeatType } from "./seats";

export interface InvitationDetails {
  orgName: string;
  email: string;
  role: Role;
  seatType: SeatType;
  expiresAt: string;
  /** Whether the address already belongs to a user, who must then sign in as themselves. */
  hasUser: boolean;
}

/** An invitation still open: not accepted, revoked or expired. The one rule, for a row and for a query. */
export const isOpenInvitation = (i: { acceptedAt: Date | null; revokedAt: Date | null; expiresAt: Date }, now: Date) =>
  !i.acceptedAt && !i.revokedAt && i.expiresAt > now;
export const openInvitationWhere = (now: Date) => ({ acceptedAt: null, revokedAt: null, expiresAt: { gt: now } });

const CLOSED = "This invitation link is no longer valid: it was accepted, revoked, replaced by a newer one, or it expired. Ask an admin to resend it.";

/** What the link offers, or null when it no longer works. */
export async function invitationForToken(db: PrismaClient, token: string, now = new Date()): Promise<InvitationDetails | null> {
  // By the link alone, before its org is known: on Citus a read of every shard's index, never a lock.
  const invitation = await db.invitation.findFirst({ where: { tokenHash: hashInvitationToken(token) }, include: { org: { select: { name: true } } } });
  if (!invitation || !isOpenInvitation(invitation, now)) return null;
  const user = await userByEmail(db, invitation.email);
  return {
    orgName: invitation.org.name,
    email: invitation.email,
    role: storedRole(invitation.role),
    seatType: storedSeatType(invitation.seatType),
    expiresAt: invitation.expiresAt.toISOString(),
    hasUser: user !== null,
  };
}

/**
 * Turns an open invitation into a membership with its role and seat type, for
 * the person signed in with `sessionId` only, and only if the address their
 * sign-in vouched for is the invited one (case-insensitive): holding the link
 * is not enough, so whoever reads an outbox cannot enrol someone else.
 * The invitation already held the seat, so accepting never meets the seat
 * cap. A new address becomes a user named as they typed, and the session it
 * accepted from becomes that user's, so the invitee is signed in as the new
 * member from their next request; an existing user keeps their name.
 */
export async function acceptInvitation(db: PrismaClient, input: { token: string; name: string; sessionId: string }, now = new Date()) {
  const tokenHash = hashInvitationToken(input.token);
  // The link names no org: find it first, outside the transaction, so that the transaction is the
  // org's alone (on Citus a read of every shard, then a write to users, cannot share one).
  const found = await db.invitation.findFirst({ where: { tokenHash }, select: { orgId: true } });
  if (!found) throw new ApiError("not_found", CLOSED);
  return db.$transaction(async (tx) => {
    const session = await liveSession(tx, input.sessionId, now);
    if (!session) throw new ApiError("unauthorized", "Sign in to accept the invitation.");
    await lockSeats(tx, found.orgId);
    const invitation = await tx.invitation.findUnique({ where: { tokenHash_orgId: { tokenHash, orgId: found.orgId } }, include: { org: { select: { name: true } } } });
    if (!invitation || !isOpenInvitation(invitation, now)) throw new ApiError("not_found", CLOSED);
    if (invitation.email.toLowerCase() !== session.email.toLowerCase()) {
      throw new ApiError("forbidden", `This invitation is for ${invitation.email}; you are signed in as ${session.email}.`);
    }

    const user =
      (await userByEmail(tx, invitation.email)) ??
      (await tx.user.create({ data: { id: `user_${randomUUID().replaceAll("-", "")}`, email: invitation.email, name: input.name } }));
    const existing = await tx.membership.findUnique({ where: { orgId_userId: { orgId: invitation.orgId, userId: user.id } } });
    if (existing) throw new ApiError("already_exists", `${invitation.email} is already a member of this organization.`);
    await tx.membership.create({ data: { orgId: invitation.orgId, userId: user.id, role: invitation.role, seatType: invitation.seatType, createdAt: now } });
    await tx.invitation.update({ where: { orgId_id: { orgId: invitation.orgId, id: invitation.id } }, data: { acceptedAt: now, acceptedUserId: user.id } });
    await attachSessionToUser(tx, session.id, user.id);
    await recordAudit(tx, {
      orgId: invitation.orgId,
      actor: auditActor({ userId: user.id }),
      action: "invitation_accepted",
      after: { invitation: invitation.id, member: user.id, email: invitation.email, role: invitation.role, seatType: invitation.seatType },
    });
    return { orgId: invitation.orgId, orgName: invitation.org.name, userId: user.id, email: invitation.email };
  }, TX_OPTIONS);
}
