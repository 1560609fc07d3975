-- Email sign-in links (Auth.js's Nodemailer provider, lib/auth/email-sign-in.ts): one row per link
-- sent, holding a hash of its token, deleted when the link is used. Not an org's: a person signs
-- in before an org is chosen.
CREATE TABLE "verification_tokens" (
  "identifier" TEXT NOT NULL,
  "token" TEXT NOT NULL,
  "expires" TIMESTAMPTZ(3) NOT NULL,
  CONSTRAINT "verification_tokens_pkey" PRIMARY KEY ("identifier", "token")
);
CREATE INDEX "verification_tokens_expires_idx" ON "verification_tokens"("expires");
