import "server-only";
import { redirect } from "next/navigation";
import { cache } from "react";
import { auth } from "@/auth";
import { db } from "@/lib/db";
import { storedRole } from "@/lib/db/stored-values";
import type { Role } from "./roles";
import { liveSession } from "./user-sessions";

export interface SessionContext {
  user: { id: string; name: string; email: string };
  orgId: string;
  orgName: string;
  role: Role;
}

/** Whoever is signed in, member or not yet (an invitee on their invitation's page). */
export interface SignedInPerson {
  sessionId: string;
  /** The address the sign-in provider vouched for. */
  email: string;
  userId: string | null;
}

/**
 * The signed-in member, or null. A user belongs to one org in the demo: their
 * first membership is the org they see. Read once per request, in one query
 * that also proves the session is live: a cookie whose session row was
 * deleted (sign-out, member removal) or has expired signs in no one.
 */
export const currentSession = cache(async (): Promise<SessionContext | null> => {
  const sessionId = (await auth())?.sessionId;
  if (!sessionId) return null;
  const membership = await db().membership.findFirst({
    where: { user: { sessions: { some: { id: sessionId, expiresAt: { gt: new Date() } } } } },
    orderBy: [{ createdAt: "asc" }, { orgId: "asc" }],
    include: { user: true, org: { select: { name: true } } },
  });
  if (!membership) return null;
  return {
    user: { id: membership.user.id, name: membership.user.name, email: membership.user.email },
    orgId: membership.orgId,
    orgName: membership.org.name,
    role: storedRole(membership.role),
  };
});

/** The person behind a live session, with or without a membership: for accepting an invitation. */
export const signedInPerson = cache(async (): Promise<SignedInPerson | null> => {
  const sessionId = (await auth())?.sessionId;
  if (!sessionId) return null;
  const live = await liveSession(db(), sessionId);
  return live && { sessionId: live.id, email: live.email, userId: live.userId };
});

/** Every page calls this first: the signed-in member, or a redirect to sign-in that comes back to `returnTo`. */
export async function requireSession(returnTo: string): Promise<SessionContext> {
  const session = await currentSession();
  if (!session) redirect(`/signin?callbackUrl=${encodeURIComponent(returnTo)}`);
  return session;
}
