import { describe, expect, it } from "vitest";
import { inviteMember, revokeInvitation } from "@/lib/admin/invitations";
import { INVITATION_TTL_MS } from "@/lib/admin/invitation-token";
import { DEMO_INVITEE_PROVIDER_ID, demoInviteeProviders } from "@/lib/auth/demo-invitee-provider";
import { maySignIn } from "@/lib/auth/sign-in-admission";
import type { MailMessage } from "@/lib/mail/mailer";
import { createOrg } from "../support/store";

const env = (values: Record<string, string>) => values as unknown as NodeJS.ProcessEnv;
let n = 0;

async function scene() {
  const { orgId, db, members } = await createOrg({ members: [{ role: "admin" }] });
  const admin = { userId: members[0], orgId, role: "admin" as const };
  const sent: MailMessage[] = [];
  const invite = async (email: string) => {
    const { invitationId } = await inviteMember(db, admin, { email, role: "user", seatType: "collaborator" }, { send: async (m) => void sent.push(m) });
    return { invitationId, token: sent.at(-1)!.text.match(/\/invite\/([\w-]+)/)![1] };
  };
  return { db, admin, invite, memberEmail: `${members[0]}@example.test` };
}

/** The demo invitee provider's authorize, as Auth.js calls it with the posted credentials. */
function demoInviteeAuthorize() {
  const [provider] = demoInviteeProviders(env({ LEDGERLINE_DEMO: "true" }));
  const config = (typeof provider === "function" ? provider() : provider) as { options?: { authorize: (c: unknown) => Promise<unknown> } };
  return (token: string) => config.options!.authorize({ token });
}

describe("who may sign in", () => {
  it("a member, or an address with an open invitation, in any case; not once the invitation is revoked or expired", async () => {
    const { db, admin, invite, memberEmail } = await scene();
    const invited = `invited-${n++}@example.test`;
    const { invitationId } = await invite(invited);
    expect(await maySignIn(db, memberEmail)).toBe(true);
    expect(await maySignIn(db, invited.toUpperCase())).toBe(true);
    expect(await maySignIn(db, invited, new Date(Date.now() + INVITATION_TTL_MS + 1_000))).toBe(false);
    await revokeInvitation(db, admin, invitationId);
    expect(await maySignIn(db, invited)).toBe(false);
    expect(await maySignIn(db, `stranger-${n++}@example.test`)).toBe(false);
    expect(await maySignIn(db, null)).toBe(false);
  });
});

describe("the demo invitee sign-in", () => {
  it("exists only while demo sign-in is on", () => {
    expect(demoInviteeProviders(env({ NODE_ENV: "production" }))).toEqual([]);
    expect(demoInviteeProviders(env({ NODE_ENV: "development", AUTH_DEMO_SIGN_IN: "false" }))).toEqual([]);
    const [provider] = demoInviteeProviders(env({ NODE_ENV: "production", LEDGERLINE_DEMO: "true" }));
    const config = typeof provider === "function" ? provider() : provider;
    expect((config.options as { id?: string }).id).toBe(DEMO_INVITEE_PROVIDER_ID);
  });

  it("signs in as the address of an open invitation with no user yet; never as an existing user, nor with a closed or unknown link", async () => {
    const { admin, db, invite } = await scene();
    const authorize = demoInviteeAuthorize();
    const fresh = `fresh-${n++}@example.test`;
    const { token } = await invite(fresh);
    expect(await authorize(token)).toEqual({ id: fresh, email: fresh, name: fresh.split("@")[0] });

    // An existing user (here a member of another org) must sign in as themselves.
    const other = await createOrg({ members: [{ role: "user" }] });
    const existing = await db.user.findUniqueOrThrow({ where: { id: other.members[0] } });
    expect(await authorize((await invite(existing.email)).token)).toBeNull();

    const closed = await invite(`closed-${n++}@example.test`);
    await revokeInvitation(db, admin, closed.invitationId);
    expect(await authorize(closed.token)).toBeNull();
    expect(await authorize("x".repeat(40))).toBeNull();
    expect(await authorize("not a token")).toBeNull();
  });
});
