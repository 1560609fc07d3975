import { describe, expect, it, vi } from "vitest";

// The session cookie, as Auth.js would decode it: only its session id. Everything
// else (is the session live, whose is it) is read from Postgres by the real lib/auth/session.
const cookie = vi.hoisted(() => ({ sessionId: null as string | null }));
vi.mock("@/auth", () => ({ auth: async () => (cookie.sessionId ? { sessionId: cookie.sessionId } : null) }));

import { joinOrg } from "@/app/invite/[token]/actions";
import { inviteMember } from "@/lib/admin/invitations";
import { currentSession } from "@/lib/auth/session";
import { startUserSession } from "@/lib/auth/user-sessions";
import type { MailMessage } from "@/lib/mail/mailer";
import { submit } from "../support/server-action";
import { createOrg } from "../support/store";

/**
 * The one server action open to people who are not members yet. It accepts
 * only from a live session of the invited address, with a valid token, once,
 * and that session is then the new member's.
 */

// Next's forbidden() throws only when the app enables authInterrupts (next.config.ts does).
process.env.__NEXT_EXPERIMENTAL_AUTH_INTERRUPTS = "true";

let n = 0;

async function invited() {
  const { orgId, db, members } = await createOrg({ plan: "pro", members: [{ role: "admin", seatType: "power" }] });
  const sent: MailMessage[] = [];
  const email = `joiner-${Date.now()}-${n++}@example.test`;
  await inviteMember(db, { userId: members[0], orgId, role: "admin" }, { email, role: "user", seatType: "collaborator" }, { send: async (m) => void sent.push(m) });
  const token = sent[0].text.match(/\/invite\/([\w-]+)/)![1];
  const adminEmail = (await db.user.findUniqueOrThrow({ where: { id: members[0] } })).email;
  /** Everything accepting changes, to prove a refused call changed none of it. */
  const state = async () => JSON.stringify([await db.membership.findMany({ where: { orgId }, orderBy: { userId: "asc" } }), await db.invitation.findMany({ where: { orgId } }), await db.user.count({ where: { email } })]);
  return { orgId, db, email, token, adminEmail, state };
}

describe("joinOrg (accepting an invitation)", () => {
  it("signed out: sent to sign-in and back to the invitation, and nothing changes", async () => {
    const { token, state } = await invited();
    const before = await state();
    cookie.sessionId = null;
    expect(await submit(joinOrg, { token, name: "Mallory" })).toEqual({ redirect: `/signin?callbackUrl=${encodeURIComponent(`/invite/${token}`)}` });
    expect(await state()).toBe(before);
  });

  it("signed in with another address (the admin who read the outbox): 403, and nothing changes", async () => {
    const { db, token, adminEmail, state } = await invited();
    const before = await state();
    cookie.sessionId = await startUserSession(db, adminEmail);
    expect(await submit(joinOrg, { token, name: "Mallory" })).toEqual({ status: 403 });
    expect(await state()).toBe(before);
  });

  it("a copied cookie whose session ended cannot accept either", async () => {
    const { db, email, token, state } = await invited();
    const before = await state();
    cookie.sessionId = await startUserSession(db, email);
    await db.userSession.delete({ where: { id: cookie.sessionId } });
    expect(await submit(joinOrg, { token, name: "Ghost" })).toMatchObject({ redirect: expect.stringMatching(/^\/signin\?/) });
    expect(await state()).toBe(before);
  });

  it("the invited person joins once with a valid token, and is signed in as the new member; bad tokens and names get no 5xx", async () => {
    const { orgId, db, email, token } = await invited();
    cookie.sessionId = await startUserSession(db, email.toUpperCase());
    expect(await currentSession()).toBeNull(); // signed in, but not a member of anything yet

    expect(await submit(joinOrg, { token: "x".repeat(40), name: "Pat" })).toMatchObject({ state: { tone: "error" } });
    expect(await submit(joinOrg, { token: "short", name: "Pat" })).toMatchObject({ state: { tone: "error" } });
    expect(await submit(joinOrg, { token, name: "" })).toMatchObject({ state: { tone: "error" } });
    expect(await submit(joinOrg, { token, name: "New Colleague" })).toEqual({ state: { tone: "success", message: `You are in Test org, signed in as ${email}.` } });
    expect(await submit(joinOrg, { token, name: "Again" })).toMatchObject({ state: { tone: "error" } });

    const joined = await db.membership.findMany({ where: { orgId, user: { email } }, include: { user: true } });
    expect(joined.map((m) => [m.role, m.user.name])).toEqual([["user", "New Colleague"]]);
    // The same cookie, on the next request: the new member, in the org they joined.
    expect(await currentSession()).toMatchObject({ orgId, role: "user", user: { name: "New Colleague", email } });
  });
});
