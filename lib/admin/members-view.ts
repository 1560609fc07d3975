import { storedOrg, storedRole, storedSeatType } from "@/lib/db/stored-values";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { ROLE_LABELS, ROLES, type Role } from "@/lib/auth/roles";
import { formatShortDate } from "@/lib/format";
import { PLANS } from "@/lib/limits/plans";
import { MEMBERS_PAGE_SIZE, pageOffset, pagesView, type PagesView } from "@/lib/pagination";
import { countSeats, SEAT_LABELS, SEAT_TYPES, type SeatType } from "./seats";

/** Admin > Members: who is in, who is invited, and how many seats of each type are left. */

export interface MemberRowView {
  userId: string;
  name: string;
  email: string;
  role: string;
  seatType: SeatType;
  /** Whether the viewer may remove them: never themselves, and a super admin only by a super admin. */
  removable: boolean;
}

export interface InvitationRowView {
  id: string;
  email: string;
  role: string;
  seat: string;
  invitedBy: string;
  /** "Expires Dec 12", or "Expired Dec 12" (no longer holds a seat; Resend renews it). */
  expiry: string;
  expired: boolean;
}

export interface SeatView {
  seatType: SeatType;
  label: string;
  members: number;
  pending: number;
  limit: string;
  full: boolean;
}

export interface MembersView {
  orgId: string;
  planName: string;
  /** This page's members, in the order they joined. */
  members: MemberRowView[];
  pages: PagesView;
  invitations: InvitationRowView[];
  seats: SeatView[];
  /** The roles this admin may invite: only a super admin invites super admins. */
  invitableRoles: { value: Role; label: string }[];
  seatTypes: { value: SeatType; label: string }[];
}

/** Admin > Members at `page` (from 1; out of range is the nearest page): a page of members, every open invitation, the seats. */
export async function getMembersView(db: PrismaClient, orgId: string, viewer: { userId: string; role: Role }, now = new Date(), page = 1): Promise<MembersView> {
  const org = await db.org.findUniqueOrThrow({ where: { id: orgId }, select: { plan: true } }).then(storedOrg);
  const [invitations, seats] = await Promise.all([
    db.invitation.findMany({ where: { orgId, acceptedAt: null, revokedAt: null }, orderBy: { createdAt: "desc" } }),
    countSeats(db, orgId, org.plan, now),
  ]);
  const total = seats.reduce((sum, s) => sum + s.members, 0);
  const inviters = [...new Set(invitations.flatMap((i) => (i.invitedById ? [i.invitedById] : [])))];
  const [memberships, inviting] = await Promise.all([
    db.membership.findMany({
      where: { orgId },
      include: { user: true },
      orderBy: [{ createdAt: "asc" }, { userId: "asc" }],
      skip: pageOffset(page, total),
      take: MEMBERS_PAGE_SIZE,
    }),
    db.membership.findMany({ where: { orgId, userId: { in: inviters } }, select: { userId: true, user: { select: { name: true } } } }),
  ]);
  // An inviter who has left the org is no longer named.
  const names = new Map(inviting.map((m) => [m.userId, m.user.name]));
  return {
    orgId,
    planName: PLANS[org.plan].name,
    pages: pagesView(page, total, memberships.length),
    members: memberships.map((m) => ({
      userId: m.userId,
      name: m.user.name,
      email: m.user.email,
      role: ROLE_LABELS[storedRole(m.role)],
      seatType: storedSeatType(m.seatType),
      removable: m.userId !== viewer.userId && (m.role !== "super_admin" || viewer.role === "super_admin"),
    })),
    invitations: invitations.map((i) => {
      const expired = i.expiresAt <= now;
      return {
        id: i.id,
        email: i.email,
        role: ROLE_LABELS[storedRole(i.role)],
        seat: SEAT_LABELS[storedSeatType(i.seatType)],
        invitedBy: (i.invitedById && names.get(i.invitedById)) ?? "A former member",
        expiry: `${expired ? "Expired" : "Expires"} ${formatShortDate(i.expiresAt)}`,
        expired,
      };
    }),
    seats: seats.map((s) => ({
      seatType: s.seatType,
      label: SEAT_LABELS[s.seatType],
      members: s.members,
      pending: s.pending,
      limit: s.limit === null ? "Unlimited" : String(s.limit),
      full: s.limit !== null && s.members + s.pending >= s.limit,
    })),
    invitableRoles: ROLES.filter((role) => role !== "super_admin" || viewer.role === "super_admin").map((value) => ({ value, label: ROLE_LABELS[value] })),
    seatTypes: SEAT_TYPES.map((value) => ({ value, label: SEAT_LABELS[value] })),
  };
}
