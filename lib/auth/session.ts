import "server-only";
import { redirect } from "next/navigation";
import { cache } from "react";
import { auth } from "@/auth";
import { db } from "@/lib/db";
import type { Role } from "./roles";

export interface SessionContext {
  user: { id: string; name: string; email: string };
  orgId: string;
  orgName: string;
  role: Role;
}

/**
 * The signed-in member, or null. A user belongs to one org in the demo: their
 * first membership is the org they see. Read once per request.
 */
export const currentSession = cache(async (): Promise<SessionContext | null> => {
  const userId = (await auth())?.user?.id;
  if (!userId) return null;
  const membership = await db().membership.findFirst({
    where: { userId },
    orderBy: [{ createdAt: "asc" }, { orgId: "asc" }],
    include: { user: true, org: { select: { name: true } } },
  });
  if (!membership) return null;
  return {
    user: { id: membership.user.id, name: membership.user.name, email: membership.user.email },
    orgId: membership.orgId,
    orgName: membership.org.name,
    role: membership.role,
  };
});

/** Every page calls this first: the signed-in member, or a redirect to sign-in that comes back to `returnTo`. */
export async function requireSession(returnTo: string): Promise<SessionContext> {
  const session = await currentSession();
  if (!session) redirect(`/signin?callbackUrl=${encodeURIComponent(returnTo)}`);
  return session;
}
