import { describe, expect, it, vi } from "vitest";
import { acceptInvitation, invitationForToken } from "@/lib/admin/accept-invitation";
import { inviteMember, resendInvitation, revokeInvitation } from "@/lib/admin/invitations";
import { changeSeatType } from "@/lib/admin/member-seats";
import { INVITATION_TTL_MS } from "@/lib/admin/invitation-token";
import { endUserSession, startUserSession } from "@/lib/auth/user-sessions";
import { outboxMailer } from "@/lib/mail/outbox-mailer";
import { authorizeAi } from "@/lib/metering/ai-holds";
import { consumeUsage } from "@/lib/metering/consume";
import { createOrg, onServer } from "../support/store";
import { logger } from "@/lib/observability/log";

const NOW = new Date("2026-03-20T12:00:00Z");
let n = 0;
const email = () => `person-${n++}@example.test`;

/** A Free org (1 Power and 2 Collaborator seats) whose admin holds the one Power seat. */
async function freeOrg() {
  const { orgId, db, sql, members } = await createOrg({ plan: "free", members: [{ role: "admin", seatType: "power" }] });
  return { orgId, db, sql, admin: { userId: members[0], orgId, role: "admin" as const }, mailer: outboxMailer(db) };
}

/** The link's token, as the invitee reads it in their email. */
async function tokenFor(db: Awaited<ReturnType<typeof freeOrg>>["db"], to: string) {
  const [latest] = await db.mailOutboxMessage.findMany({ where: { toEmail: to }, orderBy: { id: "desc" }, take: 1 });
  return latest.textBody.match(/\/invite\/([\w-]+)/)![1];
}

describe("seat caps gate invitations, and only invitations", () => {
  it("refuses a seat type at its cap with a clear message, and never another", async () => {
    const { db, admin, mailer } = await freeOrg();
    await expect(inviteMember(db, admin, { email: email(), role: "user", seatType: "power" }, mailer, NOW)).rejects.toMatchObject({
      code: "seat_limit_reached",
      status: 409,
      message:
        "The only Power seat on the Free plan is taken (1 member). Upgrade the plan in Admin > Billing, or revoke a pending invitation, to add another Power member.",
    });
    await inviteMember(db, admin, { email: email(), role: "user", seatType: "collaborator" }, mailer, NOW);
    await inviteMember(db, admin, { email: email(), role: "user", seatType: "collaborator" }, mailer, NOW);
    // Two pending invitations fill both Collaborator seats.
    await expect(inviteMember(db, admin, { email: email(), role: "user", seatType: "collaborator" }, mailer, NOW)).rejects.toMatchObject({
      code: "seat_limit_reached",
      message: expect.stringContaining("(0 members and 2 pending invitations)"),
    });
  });

  it("frees the seat of a revoked or expired invitation; resending an expired one needs a free seat", async () => {
    const { db, admin, mailer } = await freeOrg();
    const first = await inviteMember(db, admin, { email: email(), role: "user", seatType: "collaborator" }, mailer, NOW);
    await inviteMember(db, admin, { email: email(), role: "user", seatType: "collaborator" }, mailer, NOW);
    await revokeInvitation(db, admin, first.invitationId, NOW);
    await inviteMember(db, admin, { email: email(), role: "user", seatType: "collaborator" }, mailer, NOW);

    const later = new Date(NOW.getTime() + INVITATION_TTL_MS + 1);
    const stale = (await db.invitation.findMany({ where: { orgId: admin.orgId, revokedAt: null }, orderBy: { createdAt: "asc" } }))[0];
    await inviteMember(db, admin, { email: email(), role: "user", seatType: "collaborator" }, mailer, later);
    await inviteMember(db, admin, { email: email(), role: "user", seatType: "collaborator" }, mailer, later);
    await expect(resendInvitation(db, admin, stale.id, mailer, later)).rejects.toMatchObject({ code: "seat_limit_reached" });
  });

  it("never blocks AI, email or any metered action, even over the cap", async () => {
    const { orgId, db, sql, members } = await createOrg({
      plan: "free",
      members: [{ role: "admin", seatType: "power" }, { seatType: "power" }, { seatType: "power" }], // 3 Power seats on a plan with 1
    });
    await expect(consumeUsage(sql, { orgId, metric: "emails_sent", quantity: 5, idempotencyKey: email() }, { now: NOW })).resolves.toMatchObject({ allowed: true });
    await expect(consumeUsage(sql, { orgId, metric: "enrichments", quantity: 1, userId: members[2], idempotencyKey: email() }, { now: NOW })).resolves.toMatchObject({
      allowed: true,
    });
    await expect(authorizeAi(sql, { orgId, userId: members[1], feature: "chat", model: "gpt-4.1", inputTokens: 1_000, maxOutputTokens: 100 }, NOW)).resolves.toHaveProperty("authorizationId");
  });

  it("moves a member to another seat type only into a free seat", async () => {
    const { db, admin, orgId, mailer } = await freeOrg();
    await inviteMember(db, admin, { email: email(), role: "user", seatType: "collaborator" }, mailer, NOW);
    await expect(changeSeatType(db, admin, { userId: "user_elsewhere", seatType: "collaborator" }, NOW)).rejects.toMatchObject({ code: "not_found" });
    await changeSeatType(db, admin, { userId: admin.userId, seatType: "collaborator" }, NOW); // the second Collaborator seat
    await expect(changeSeatType(db, admin, { userId: admin.userId, seatType: "collaborator" }, NOW)).resolves.toBeUndefined(); // already there
    const trail = await db.auditEntry.findMany({ where: { orgId, action: "seat_changed" } });
    expect(trail.map((e) => [e.before, e.after])).toEqual([[{ member: admin.userId, seatType: "power" }, { member: admin.userId, seatType: "collaborator" }]]);
  });
});

describe("invitations", () => {
  it("are emailed with a link that joins the invited person with the role and seat; the link then stops working", async () => {
    const { db, admin, orgId, mailer } = await freeOrg();
    const to = email();
    await inviteMember(db, admin, { email: to.toUpperCase(), role: "manager", seatType: "collaborator" }, mailer, NOW);
    const token = await tokenFor(db, to);
    expect(await invitationForToken(db, token, NOW)).toMatchObject({ email: to, role: "manager", seatType: "collaborator", hasUser: false });

    // The invitee signed in with the invited address, spelled in another case by their provider.
    const sessionId = await startUserSession(db, to.toUpperCase(), NOW);
    const joined = await acceptInvitation(db, { token, name: "New Person", sessionId }, NOW);
    const membership = await db.membership.findUniqueOrThrow({ where: { orgId_userId: { orgId, userId: joined.userId } }, include: { user: true } });
    expect([membership.role, membership.seatType, membership.user.name, membership.user.email]).toEqual(["manager", "collaborator", "New Person", to]);
    // The session it accepted from is now the new user's.
    expect(await db.userSession.findUniqueOrThrow({ where: { id: sessionId } })).toMatchObject({ userId: joined.userId, email: to });
    expect(await invitationForToken(db, token, NOW)).toBeNull();
    await expect(acceptInvitation(db, { token, name: "Again", sessionId }, NOW)).rejects.toMatchObject({ code: "not_found" });

    const actions = (await db.auditEntry.findMany({ where: { orgId }, orderBy: { id: "asc" } })).map((e) => [e.actor, e.action]);
    expect(actions).toEqual([[`user:${admin.userId}`, "invitation_sent"], [`user:${joined.userId}`, "invitation_accepted"]]);
  });

  it("cannot be accepted with the link alone: another address's session is forbidden, an ended one unauthorized, and nothing changes", async () => {
    const { db, admin, orgId, mailer } = await freeOrg();
    const to = email();
    await inviteMember(db, admin, { email: to, role: "user", seatType: "collaborator" }, mailer, NOW);
    const token = await tokenFor(db, to);
    const adminEmail = (await db.user.findUniqueOrThrow({ where: { id: admin.userId } })).email;
    const before = await db.membership.count({ where: { orgId } });

    // The admin who read the outbox, signed in as themselves.
    const adminSession = await startUserSession(db, adminEmail, NOW);
    await expect(acceptInvitation(db, { token, name: "Mallory", sessionId: adminSession }, NOW)).rejects.toMatchObject({
      code: "forbidden",
      message: `This invitation is for ${to}; you are signed in as ${adminEmail}.`,
    });
    const ended = await startUserSession(db, to, NOW);
    await endUserSession(db, ended);
    await expect(acceptInvitation(db, { token, name: "Ghost", sessionId: ended }, NOW)).rejects.toMatchObject({ code: "unauthorized" });
    await expect(acceptInvitation(db, { token, name: "Nobody", sessionId: "no-such-session" }, NOW)).rejects.toMatchObject({ code: "unauthorized" });

    expect(await db.membership.count({ where: { orgId } })).toBe(before);
    expect(await invitationForToken(db, token, NOW)).toMatchObject({ email: to });
  });

  it("an existing user accepts as themselves and keeps their name", async () => {
    const { db, admin, orgId, mailer } = await freeOrg();
    const elsewhere = await createOrg({ members: [{ role: "user" }] });
    const existing = await db.user.findUniqueOrThrow({ where: { id: elsewhere.members[0] } });
    await inviteMember(db, admin, { email: existing.email, role: "user", seatType: "collaborator" }, mailer, NOW);
    const token = await tokenFor(db, existing.email);
    expect(await invitationForToken(db, token, NOW)).toMatchObject({ hasUser: true });

    const joined = await acceptInvitation(db, { token, name: "Another Name", sessionId: await startUserSession(db, existing.email, NOW) }, NOW);
    expect(joined.userId).toBe(existing.id);
    const membership = await db.membership.findUniqueOrThrow({ where: { orgId_userId: { orgId, userId: existing.id } }, include: { user: true } });
    expect(membership.user.name).toBe(existing.name);
  });

  it("resend replaces the link; revoke and expiry end it", async () => {
    const { db, admin, mailer } = await freeOrg();
    const to = email();
    const { invitationId } = await inviteMember(db, admin, { email: to, role: "user", seatType: "collaborator" }, mailer, NOW);
    const first = await tokenFor(db, to);
    await resendInvitation(db, admin, invitationId, mailer, NOW);
    const second = await tokenFor(db, to);
    expect(second).not.toBe(first);
    expect(await invitationForToken(db, first, NOW)).toBeNull();
    expect(await invitationForToken(db, second, new Date(NOW.getTime() + INVITATION_TTL_MS))).toBeNull();
    await revokeInvitation(db, admin, invitationId, NOW);
    expect(await invitationForToken(db, second, NOW)).toBeNull();
    await expect(revokeInvitation(db, admin, invitationId, NOW)).rejects.toMatchObject({ code: "not_found" });
  });

  it("refuses a member's address, a second open invitation, and a super admin invited by an admin", async () => {
    const { db, admin, mailer } = await freeOrg();
    const member = await db.user.findUniqueOrThrow({ where: { id: admin.userId } });
    await expect(inviteMember(db, admin, { email: member.email, role: "user", seatType: "collaborator" }, mailer, NOW)).rejects.toMatchObject({ code: "already_exists" });
    const to = email();
    await inviteMember(db, admin, { email: to, role: "user", seatType: "collaborator" }, mailer, NOW);
    await expect(inviteMember(db, admin, { email: to, role: "user", seatType: "collaborator" }, mailer, NOW)).rejects.toMatchObject({
      code: "already_exists",
      message: `${to} already has an invitation. Resend or revoke it below.`,
    });
    await expect(inviteMember(db, admin, { email: email(), role: "super_admin", seatType: "collaborator" }, mailer, NOW)).rejects.toMatchObject({ code: "forbidden" });
  });

  it("keeps the invitation when the mailer fails, so Resend can try again", async () => {
    const { db, admin } = await freeOrg();
    const failing = { send: async () => Promise.reject(new Error("SMTP down")) };
    const logged = vi.spyOn(logger(), "error");
    const sent = await inviteMember(db, admin, { email: email(), role: "user", seatType: "collaborator" }, failing, NOW);
    expect(sent.emailed).toBe(false);
    expect(logged).toHaveBeenCalledWith({ err: expect.any(Error), invitationId: sent.invitationId }, "invitation saved but not emailed");
    logged.mockRestore();
    expect(await db.invitation.count({ where: { id: sent.invitationId } })).toBe(1);
  });
});

describe.skipIf(!onServer)("seat caps under concurrency (real Postgres)", () => {
  it("twenty invitations at once take exactly the free seats", async () => {
    const { db, admin, mailer } = await freeOrg();
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => inviteMember(db, admin, { email: email(), role: "user", seatType: "collaborator" }, mailer, NOW)),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(2);
    expect(results.filter((r) => r.status === "rejected").map((r) => (r as PromiseRejectedResult).reason.code)).toEqual(Array(18).fill("seat_limit_reached"));
  });
});
