import { openInvitationWhere } from "@/lib/admin/accept-invitation";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { userByEmail } from "./users";

/**
 * Who may sign in, whatever the provider: a member of some org, or someone
 * with an open invitation (not accepted, revoked or expired) to the address
 * the provider vouched for, so that they can sign in and then accept it.
 * Everyone else is refused before a session exists.
 */
export async function maySignIn(db: PrismaClient, email: string | null | undefined, now = new Date()): Promise<boolean> {
  if (!email) return false;
  const [user, invited] = await Promise.all([
    userByEmail(db, email),
    db.invitation.findFirst({ where: { email: { equals: email.trim(), mode: "insensitive" }, ...openInvitationWhere(now) }, select: { id: true } }),
  ]);
  if (invited) return true;
  return user !== null && (await db.membership.findFirst({ where: { userId: user.id }, select: { orgId: true } })) !== null;
}
