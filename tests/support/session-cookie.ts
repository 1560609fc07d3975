import { startUserSession } from "@/lib/auth/user-sessions";
import { testStore } from "./store";

/**
 * What a stubbed Auth.js `auth()` answers for a user signed in through the
 * real sign-in path: a session whose row really exists, so the code under
 * test checks it as it would a browser's cookie.
 */
export async function signedInSession(userId: string): Promise<{ sessionId: string }> {
  const { prisma } = await testStore();
  const user = await prisma.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true } });
  return { sessionId: await startUserSession(prisma, user.email) };
}
