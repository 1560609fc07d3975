import { randomBytes } from "node:crypto";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { Tx } from "@/lib/metering/types";
import { userByEmail } from "./users";

/**
 * The server side of a sign-in: one user_sessions row per signed-in browser,
 * named by the `sid` its session cookie carries. The cookie alone proves
 * nothing once its row is gone, so ending a session takes effect on the very
 * next request, for every copy of the cookie.
 */

/**
 * How long a session lasts from sign-in, however active: Auth.js's default
 * cookie lifetime, made absolute here because the row's expiry is fixed when
 * the row is written.
 */
export const SESSION_MAX_AGE_S = 30 * 86_400;

/**
 * Records a sign-in by `email` and returns the new session's id. The user is
 * looked up by address (null for an invitee with no user yet). Expired rows of
 * anyone are swept on the way, so the table stays the size of live sessions.
 */
export async function startUserSession(db: PrismaClient, email: string, now = new Date()): Promise<string> {
  const id = randomBytes(32).toString("base64url");
  const address = email.trim().toLowerCase();
  await db.$transaction(async (tx) => {
    const user = await userByEmail(tx, address);
    await tx.userSession.deleteMany({ where: { expiresAt: { lte: now } } });
    await tx.userSession.create({ data: { id, userId: user?.id ?? null, email: address, createdAt: now, expiresAt: new Date(now.getTime() + SESSION_MAX_AGE_S * 1000) } });
  });
  return id;
}

/** Sign-out: this browser's session ends. */
export async function endUserSession(db: PrismaClient, sessionId: string) {
  await db.userSession.deleteMany({ where: { id: sessionId } });
}

/** Every session of a user ends (member removal), in the caller's transaction. */
export async function endSessionsOfUser(tx: Tx, userId: string) {
  await tx.userSession.deleteMany({ where: { userId } });
}

/** The signed-in person behind a session id, if the session is still live: their address, and their user once they have one. */
export async function liveSession(db: Tx, sessionId: string, now = new Date()) {
  return db.userSession.findFirst({ where: { id: sessionId, expiresAt: { gt: now } }, select: { id: true, email: true, userId: true } });
}

/** Where an accepted invitation makes the invitee's own session the new user's. */
export async function attachSessionToUser(tx: Tx, sessionId: string, userId: string) {
  await tx.userSession.updateMany({ where: { id: sessionId, userId: null }, data: { userId } });
}
