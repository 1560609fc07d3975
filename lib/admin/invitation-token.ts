import { createHash, randomBytes } from "node:crypto";

/** How long an invitation link works; Resend starts the clock again with a new link. */
export const INVITATION_TTL_MS = 14 * 86_400_000;

/** A new link token: 24 random bytes. Only its hash is stored, so the database cannot be used to accept. */
export function newInvitationToken(): { token: string; tokenHash: string } {
  const token = randomBytes(24).toString("base64url");
  return { token, tokenHash: hashInvitationToken(token) };
}

export function hashInvitationToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export const invitationPath = (token: string) => `/invite/${token}`;
