import { describe, expect, it, vi } from "vitest";

// The session cookie, as Auth.js would decode it. Whether it still signs anyone
// in is decided by the real lib/auth/session against Postgres.
const cookie = vi.hoisted(() => ({ token: null as Record<string, unknown> | null }));
vi.mock("@/auth", () => ({ auth: async () => cookie.token }));

import { removeMember } from "@/lib/admin/remove-member";
import { currentSession, requireSession } from "@/lib/auth/session";
import { endUserSession, SESSION_MAX_AGE_S, startUserSession } from "@/lib/auth/user-sessions";
import { submit } from "../support/server-action";
import { createOrg, testStore } from "../support/store";

const emailOf = async (userId: string) => (await (await testStore()).prisma.user.findUniqueOrThrow({ where: { id: userId } })).email;

/** A page load with this cookie: the member it signs in, or where it is sent. */
async function pageLoad(sessionId: string) {
  cookie.token = { sessionId };
  return submit(async () => (await requireSession("/settings/usage")).user.id, {});
}

describe("sessions", () => {
  it("sign in a member until the session's row is deleted (sign-out), then send the same cookie to sign-in", async () => {
    const { db, members } = await createOrg({ members: [{ role: "user" }] });
    const sessionId = await startUserSession(db, await emailOf(members[0]));
    expect(await pageLoad(sessionId)).toEqual({ state: members[0] });
    await endUserSession(db, sessionId);
    expect(await pageLoad(sessionId)).toEqual({ redirect: "/signin?callbackUrl=%2Fsettings%2Fusage" });
  });

  it("end on their own after SESSION_MAX_AGE_S from sign-in, however fresh the cookie", async () => {
    const { db, members } = await createOrg({ members: [{ role: "user" }] });
    const signedInAt = new Date(Date.now() - SESSION_MAX_AGE_S * 1000 - 1_000);
    const sessionId = await startUserSession(db, await emailOf(members[0]), signedInAt);
    expect(await pageLoad(sessionId)).toMatchObject({ redirect: expect.stringMatching(/^\/signin\?/) });
  });

  it("refuse a cookie without a session id (one issued before sessions had rows)", async () => {
    const { members } = await createOrg({ members: [{ role: "user" }] });
    cookie.token = { user: { id: members[0] } };
    expect(await currentSession()).toBeNull();
  });

  it("of a removed member all end at once: their next page load goes to sign-in; everyone else's stay", async () => {
    const { orgId, db, members } = await createOrg({ members: [{ role: "admin" }, { role: "user" }] });
    const [admin, member] = members;
    const laptop = await startUserSession(db, await emailOf(member));
    const phone = await startUserSession(db, await emailOf(member));
    const adminSession = await startUserSession(db, await emailOf(admin));
    expect(await pageLoad(laptop)).toEqual({ state: member });

    await removeMember(db, { userId: admin, orgId, role: "admin" }, { userId: member });
    expect(await pageLoad(laptop)).toEqual({ redirect: "/signin?callbackUrl=%2Fsettings%2Fusage" });
    expect(await pageLoad(phone)).toEqual({ redirect: "/signin?callbackUrl=%2Fsettings%2Fusage" });
    expect(await db.userSession.count({ where: { userId: member } })).toBe(0);
    expect(await pageLoad(adminSession)).toEqual({ state: admin });
  });
});
