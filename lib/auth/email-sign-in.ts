import type { Adapter, AdapterUser } from "next-auth/adapters";
import Nodemailer from "next-auth/providers/nodemailer";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { mailFrom, smtpTransport } from "@/lib/mail/smtp-mailer";
import { signInLinksSent } from "./failure-limiter";
import { userByEmail } from "./users";

/**
 * Sign-in by emailed link (Auth.js's Nodemailer provider, at
 * POST /api/auth/signin/nodemailer), on whenever SMTP_URL is set (AUTH_EMAIL_SIGN_IN=false
 * turns it off). Who may ask for a link is the same rule as every method's: a
 * member, or the address of an open invitation (maySignIn, in auth.ts's signIn
 * callback, runs before a link is sent). A link works once, for 15 minutes.
 */
export const EMAIL_PROVIDER_ID = "nodemailer";
export const SIGN_IN_LINK_MAX_AGE_S = 15 * 60;

/** Where the browser goes once a link was asked for: the sign-in page as Auth.js's verify-request step leaves it, sent or not. */
export const CHECK_EMAIL_PATH = `/signin?provider=${EMAIL_PROVIDER_ID}&type=email`;

export function emailSignInEnabled(env: Record<string, string | undefined> = process.env): boolean {
  return Boolean(env.SMTP_URL?.trim()) && env.AUTH_EMAIL_SIGN_IN !== "false";
}

export function emailProvider(env: Record<string, string | undefined> = process.env) {
  const url = env.SMTP_URL!.trim();
  const from = mailFrom(env);
  return Nodemailer({
    server: url,
    from,
    maxAge: SIGN_IN_LINK_MAX_AGE_S,
    async sendVerificationRequest({ identifier, url: link }) {
      const address = identifier.toLowerCase();
      // At most 5 links to one address in 15 minutes (the abuse limits, shared by every instance).
      const sent = signInLinksSent();
      if (sent.retryAfter(address) !== null) throw new Error("Too many sign-in links were sent to this address; wait a few minutes.");
      await sent.recordFailure(address);
      await smtpTransport(url).sendMail({
        from,
        to: identifier,
        subject: "Your Ledgerline sign-in link",
        text: [`Sign in to Ledgerline: ${link}`, "", "The link works once, for 15 minutes. If you did not ask for it, ignore this email."].join("\n"),
      });
    },
  });
}

const asAdapterUser = (user: { id: string; email: string; name: string }): AdapterUser => ({ ...user, emailVerified: null });

/**
 * What Auth.js needs of a database for emailed links: the links themselves,
 * and people by email. Users are made when an invitation is accepted, never at
 * sign-in: an invitee signs in as their address alone (createUser makes nothing),
 * and sessions are this app's own (user_sessions, started in auth.ts's jwt
 * callback), so accounts are not stored either.
 */
export function signInAdapter(db: () => PrismaClient): Adapter {
  return {
    async createVerificationToken(token) {
      await db().verificationToken.create({ data: token });
      // Links that expired unused are cleared as new ones are made.
      await db().verificationToken.deleteMany({ where: { expires: { lt: new Date() } } });
      return token;
    },
    async useVerificationToken({ identifier, token }) {
      // One statement: of two uses of one link at once, only the one whose delete found it signs in.
      const [used] = await db().$queryRaw<{ identifier: string; token: string; expires: Date }[]>`
        DELETE FROM verification_tokens WHERE identifier = ${identifier} AND token = ${token} RETURNING identifier, token, expires`;
      return used ?? null;
    },
    async getUserByEmail(email) {
      const user = await userByEmail(db(), email);
      return user ? asAdapterUser(user) : null;
    },
    async getUser(id) {
      const user = await db().user.findUnique({ where: { id } });
      return user ? asAdapterUser(user) : null;
    },
    async createUser(user) {
      return { ...user, id: user.email };
    },
    async updateUser(user) {
      const stored = user.id ? await db().user.findUnique({ where: { id: user.id } }) : null;
      return stored ? asAdapterUser(stored) : ({ ...user, id: user.id, email: user.email ?? user.id, emailVerified: user.emailVerified ?? null } as AdapterUser);
    },
    async getUserByAccount() {
      return null;
    },
    async linkAccount() {
      return undefined;
    },
  };
}
