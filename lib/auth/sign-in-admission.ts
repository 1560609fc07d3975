import { openInvitationWhere } from "@/lib/admin/accept-invitation";
import type { PrismaClient } from "@/lib/generated/prisma/client";

/**
 * Who may sign in, whatever the provider: a member of some org, or someone
 * with an open invitation (not accepted, revoked or expired) to the address
 * the provider vouched for, so that they can sign in and then accept it.
 * Everyone else is refused before a session exists.
 */
export async function maySignIn(db: PrismaClient, email: string | null | undefined, now = new Date()): Promise<boolean> {
  if (!email) return false;
  const address = { equals: email.trim(), mode: "insensitive" } as const;
  const [member, invited] = await Promise.all([
    db.user.findFirst({ where: { email: address, memberships: { some: {} } }, select: { id: true } }),
    db.invitation.findFirst({ where: { email: address, ...openInvitationWhere(now) }, select: { id: true } }),
  ]);
  return member !== null || invited !== null;
}
