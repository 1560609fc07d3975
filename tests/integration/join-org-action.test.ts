import { describe, expect, it } from "vitest";
import { joinOrg } from "@/app/invite/[token]/actions";
import { inviteMember } from "@/lib/admin/invitations";
import type { MailMessage } from "@/lib/mail/mailer";
import { form } from "../support/signed-in";
import { createOrg } from "../support/store";

/**
 * The one server action open to people who are not members yet: the token in
 * the emailed link is the only proof it accepts, once.
 */
describe("joinOrg (accepting an invitation)", () => {
  it("joins with a valid token once, and refuses unknown, reused or malformed tokens without a 5xx", async () => {
    const { orgId, db, members } = await createOrg({ plan: "pro", members: [{ role: "admin", seatType: "power" }] });
    const sent: MailMessage[] = [];
    const email = `joiner-${Date.now()}@example.test`;
    await inviteMember(db, { userId: members[0], orgId, role: "admin" }, { email, role: "user", seatType: "collaborator" }, { send: async (m) => void sent.push(m) });
    const token = sent[0].text.match(/\/invite\/([\w-]+)/)![1];

    expect(await joinOrg(null, form({ token: "x".repeat(40), name: "Mallory" }))).toMatchObject({ tone: "error" });
    expect(await joinOrg(null, form({ token: "short", name: "Mallory" }))).toMatchObject({ tone: "error" });
    expect(await joinOrg(null, form({ token, name: "" }))).toMatchObject({ tone: "error" });
    expect(await joinOrg(null, form({ token, name: "New Colleague" }))).toMatchObject({ tone: "success" });
    expect(await joinOrg(null, form({ token, name: "Again" }))).toMatchObject({ tone: "error" });

    const joined = await db.membership.findMany({ where: { orgId, user: { email } }, include: { user: true } });
    expect(joined.map((m) => [m.role, m.user.name])).toEqual([["user", "New Colleague"]]);
  });
});
