import NextAuth from "next-auth";
import { db } from "@/lib/db";
import { demoInviteeProviders } from "@/lib/auth/demo-invitee-provider";
import { CHECK_EMAIL_PATH, emailProvider, emailSignInEnabled, signInAdapter } from "@/lib/auth/email-sign-in";
import { authProviders } from "@/lib/auth/providers";
import { maySignIn } from "@/lib/auth/sign-in-admission";
import { SHIPPED_DEFAULTS } from "@/lib/config/shipped-defaults";
import { endUserSession, SESSION_MAX_AGE_S, startUserSession } from "@/lib/auth/user-sessions";

/**
 * Sessions are JWTs that carry only a session id (`sid`), the key of a
 * user_sessions row written at sign-in. Who is signed in, and whether they
 * still are, is read from that row and the membership on every request
 * (lib/auth/session.ts): deleting the row (sign-out, member removal) ends the
 * session at once, and a changed role takes effect at once.
 */

declare module "next-auth" {
  interface Session {
    /**
     * The session's row id. Harmless in the browser's copy of the session:
     * it opens nothing without the encrypted cookie that carries it.
     */
    sessionId?: string;
  }
}

// `npm run dev` works without a .env; anywhere else AUTH_SECRET must be set, or Auth.js refuses to start.

export const { handlers, auth, signIn, signOut } = NextAuth({
  secret: process.env.AUTH_SECRET ?? (process.env.NODE_ENV === "development" ? SHIPPED_DEFAULTS.AUTH_SECRET : undefined),
  providers: [...authProviders(), ...demoInviteeProviders(), ...(emailSignInEnabled() ? [emailProvider()] : [])],
  // Emailed links need a store for the links; sessions stay JWTs naming a user_sessions row.
  adapter: emailSignInEnabled() ? signInAdapter(db) : undefined,
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S },
  // Auth.js sends the browser to verifyRequest with `?provider=nodemailer&type=email` added.
  pages: { signIn: "/signin", error: "/signin", verifyRequest: "/signin" },
  callbacks: {
    // Any provider: the account's email must belong to a member of an org or to an open invitation.
    // Asked for an emailed link to any other address, it sends nothing and answers as if it had,
    // so the form tells no one who is a member.
    async signIn({ user, email }) {
      const allowed = await maySignIn(db(), user.email);
      if (!allowed && email?.verificationRequest) return CHECK_EMAIL_PATH;
      return allowed;
    },
    async jwt({ token, user }) {
      if (user?.email) token.sid = await startUserSession(db(), user.email);
      return token;
    },
    session({ session, token }) {
      if (typeof token.sid === "string") session.sessionId = token.sid;
      return session;
    },
  },
  events: {
    async signOut(message) {
      const sid = "token" in message ? message.token?.sid : undefined;
      if (typeof sid === "string") await endUserSession(db(), sid);
    },
  },
});
