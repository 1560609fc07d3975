-- Server-side sessions. The JWT in the session cookie carries only this row's
-- id ("sid"); a request is signed in only while the row exists and has not
-- expired, so sign-out and member removal end a session at once, even for a
-- copy of the cookie.
--
-- user_id is null while the person signed in has no user yet (an invitee who
-- has not accepted); accepting the invitation sets it, so the same cookie is
-- then the new member's session. email is the address the provider vouched
-- for at sign-in, the one an invitation is matched against.
CREATE TABLE "user_sessions" (
    "id" TEXT NOT NULL,
    "user_id" TEXT,
    "email" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "user_sessions_pkey" PRIMARY KEY ("id")
);
-- Member removal ends every session of the user.
CREATE INDEX "user_sessions_user_id_idx" ON "user_sessions"("user_id");
-- Each sign-in sweeps the expired rows.
CREATE INDEX "user_sessions_expires_at_idx" ON "user_sessions"("expires_at");
ALTER TABLE "user_sessions" ADD CONSTRAINT "user_sessions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
