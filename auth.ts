import NextAuth from "next-auth";
import { db } from "@/lib/db";
import { authProviders } from "@/lib/auth/providers";

/**
 * Sessions are JWTs that carry only the user id: the role and org are read
 * from the membership on every request (lib/auth/session.ts), so a changed
 * role takes effect at once.
 */

async function memberUserId(email: string | null | undefined): Promise<string | null> {
  if (!email) return null;
  const user = await db().user.findFirst({
    where: { email: { equals: email, mode: "insensitive" }, memberships: { some: {} } },
    select: { id: true },
  });
  return user?.id ?? null;
}

// `npm run dev` works without a .env; anywhere else AUTH_SECRET must be set, or Auth.js refuses to start.
const DEVELOPMENT_SECRET = "development-only-secret-change-me-in-production";

export const { handlers, auth, signIn, signOut } = NextAuth({
  secret: process.env.AUTH_SECRET ?? (process.env.NODE_ENV === "development" ? DEVELOPMENT_SECRET : undefined),
  providers: authProviders(),
  session: { strategy: "jwt" },
  pages: { signIn: "/signin", error: "/signin" },
  callbacks: {
    // Any provider: the account's email must belong to a member of an org.
    async signIn({ user }) {
      return (await memberUserId(user.email)) !== null;
    },
    async jwt({ token, user }) {
      if (user) token.userId = await memberUserId(user.email);
      return token;
    },
    session({ session, token }) {
      if (typeof token.userId === "string") session.user.id = token.userId;
      return session;
    },
  },
});
