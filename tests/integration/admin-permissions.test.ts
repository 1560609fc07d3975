import { describe, expect, it, vi } from "vitest";

vi.mock("@/lib/auth/session", () => import("../support/signed-in"));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

import { removeAlertWebhook, rotateAlertSecret, saveAlertWebhook } from "@/app/(app)/admin/alerts/actions";
import { issueApiKey, revokeApiKey } from "@/app/(app)/admin/api-keys/actions";
import { moveSeat, removeFromOrg, sendInvitation, sendInvitationAgain, withdrawInvitation } from "@/app/(app)/admin/members/actions";
import { saveAllocations } from "@/app/(app)/admin/usage-limits/actions";
import { markAllRead } from "@/app/(app)/notifications/actions";
import { inviteMember } from "@/lib/admin/invitations";
import { createOrgApiKey } from "@/lib/admin/org-api-keys";
import { saveWebhookEndpoint } from "@/lib/alerts/webhook-endpoint";
import type { FormState } from "@/lib/auth/form-action";
import type { Role } from "@/lib/auth/roles";
import type { Mailer } from "@/lib/mail/mailer";
import { form, isForbidden, signInAs, signOut } from "../support/signed-in";
import { createOrg, testStore } from "../support/store";

/**
 * Every admin action, called directly as a forged request would: admins and
 * super admins act (and are audited); managers, users, admins of another org
 * and signed-out callers get no further than the role check, and nothing changes.
 */

const noMail: Mailer = { send: async () => undefined };
let n = 0;

async function scene() {
  const { orgId, db, members } = await createOrg({
    members: [{ role: "super_admin", seatType: "power" }, { role: "admin", seatType: "power" }, { role: "manager" }, { role: "user" }],
  });
  const [superAdmin, admin, manager, user] = members;
  const other = await createOrg({ members: [{ role: "admin" }] });
  const owner = { userId: superAdmin, orgId, role: "super_admin" as const };
  const { invitationId } = await inviteMember(db, owner, { email: `invitee-${n++}@example.test`, role: "user", seatType: "collaborator" }, noMail);
  const { id: keyId } = await createOrgApiKey(db, owner, { name: "existing" });
  await saveWebhookEndpoint(db, owner, { url: "https://hooks.example.test/existing" });
  return { orgId, otherOrgId: other.orgId, otherAdmin: other.members[0], byRole: { super_admin: superAdmin, admin, manager, user } as Record<Role, string>, user, invitationId, keyId };
}

type Scene = Awaited<ReturnType<typeof scene>>;
type Action = (previous: FormState, form: FormData) => Promise<FormState>;

const ACTIONS: { name: string; run: Action; fields: (s: Scene) => Record<string, string> }[] = [
  { name: "set allocations", run: saveAllocations, fields: (s) => ({ userId: s.user, aiDollars: "5", enrichments: "10" }) },
  { name: "invite a member", run: sendInvitation, fields: () => ({ email: `new-${n++}@example.test`, role: "user", seatType: "collaborator" }) },
  { name: "resend an invitation", run: sendInvitationAgain, fields: (s) => ({ invitationId: s.invitationId }) },
  { name: "revoke an invitation", run: withdrawInvitation, fields: (s) => ({ invitationId: s.invitationId }) },
  { name: "change a seat", run: moveSeat, fields: (s) => ({ userId: s.user, seatType: "power" }) },
  { name: "remove a member", run: removeFromOrg, fields: (s) => ({ userId: s.user }) },
  { name: "create an API key", run: issueApiKey, fields: () => ({ name: "ci" }) },
  { name: "revoke an API key", run: revokeApiKey, fields: (s) => ({ keyId: s.keyId }) },
  { name: "set the alert webhook", run: saveAlertWebhook, fields: () => ({ url: "https://hooks.example.test/new" }) },
  { name: "rotate the webhook secret", run: rotateAlertSecret, fields: () => ({}) },
  { name: "remove the alert webhook", run: removeAlertWebhook, fields: () => ({}) },
];

/** Everything an admin action can change in an org, to prove a refused call changed none of it. */
async function fingerprint(orgId: string) {
  const { prisma } = await testStore();
  return JSON.stringify(
    await Promise.all([
      prisma.membership.findMany({ where: { orgId }, orderBy: { userId: "asc" } }),
      prisma.invitation.findMany({ where: { orgId }, orderBy: { id: "asc" } }),
      prisma.apiKey.findMany({ where: { orgId }, orderBy: { id: "asc" } }),
      prisma.webhookEndpoint.findMany({ where: { orgId } }),
      prisma.auditEntry.findMany({ where: { orgId }, orderBy: { id: "asc" } }),
    ]),
    (_key, value) => (typeof value === "bigint" ? String(value) : value),
  );
}

async function auditActors(orgId: string) {
  const { prisma } = await testStore();
  return (await prisma.auditEntry.findMany({ where: { orgId }, orderBy: { id: "asc" } })).map((e) => e.actor);
}

describe.each(ACTIONS)("$name", ({ run, fields }) => {
  it.each(["super_admin", "admin"] as const)("%s: done and audited as them", async (role) => {
    const s = await scene();
    const before = (await auditActors(s.orgId)).length;
    signInAs(s.orgId, s.byRole[role], role);
    const state = await run(null, form({ orgId: s.orgId, ...fields(s) }));
    expect(state, state?.message).toMatchObject({ tone: "success" });
    expect((await auditActors(s.orgId)).slice(before)).toEqual([`user:${s.byRole[role]}`]);
  });

  it.each(["manager", "user"] as const)("%s: 403 and nothing changes", async (role) => {
    const s = await scene();
    const before = await fingerprint(s.orgId);
    signInAs(s.orgId, s.byRole[role], role);
    await expect(run(null, form({ orgId: s.orgId, ...fields(s) }))).rejects.toSatisfy(isForbidden);
    expect(await fingerprint(s.orgId)).toBe(before);
  });

  it("an admin of another org: 403 on this org's form, and this org's ids mean nothing in theirs", async () => {
    const s = await scene();
    const before = await fingerprint(s.orgId);
    signInAs(s.otherOrgId, s.otherAdmin, "admin");
    await expect(run(null, form({ orgId: s.orgId, ...fields(s) }))).rejects.toSatisfy(isForbidden);
    await run(null, form({ orgId: s.otherOrgId, ...fields(s) }));
    expect(await fingerprint(s.orgId)).toBe(before);
  });

  it("signed out: sent to sign-in, nothing changes", async () => {
    const s = await scene();
    const before = await fingerprint(s.orgId);
    signOut();
    await expect(run(null, form({ orgId: s.orgId, ...fields(s) }))).rejects.toMatchObject({ digest: expect.stringContaining("/signin") });
    expect(await fingerprint(s.orgId)).toBe(before);
  });
});

describe("mark notifications read", () => {
  it("any member may, for their own org only", async () => {
    const s = await scene();
    for (const role of ["super_admin", "admin", "manager", "user"] as const) {
      signInAs(s.orgId, s.byRole[role], role);
      expect(await markAllRead(null, form({ orgId: s.orgId }))).toMatchObject({ tone: "success" });
    }
    signInAs(s.otherOrgId, s.otherAdmin, "admin");
    await expect(markAllRead(null, form({ orgId: s.orgId }))).rejects.toSatisfy(isForbidden);
  });
});
