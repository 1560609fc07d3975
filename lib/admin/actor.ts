import { ApiError } from "@/lib/api/errors";
import { isAdmin, type Role } from "@/lib/auth/roles";

/**
 * Who makes an admin change: the signed-in member as the server read their
 * session. Domain functions take it as a plain value and check the role
 * themselves, so no caller can skip the check.
 */
export interface Actor {
  userId: string;
  orgId: string;
  role: Role;
}

export function requireAdmin(actor: Actor) {
  if (!isAdmin(actor.role)) throw new ApiError("forbidden", "Only admins and super admins can change this.");
}

/** The audit trail's name for a person acting in the app. */
export const auditActor = (actor: Pick<Actor, "userId">) => `user:${actor.userId}`;
