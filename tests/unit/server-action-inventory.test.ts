import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The authorization matrix's completeness check. Every server action in the
 * code base is named here with the test that calls it directly (as a forged
 * request would) under each role and from another org. A new action without
 * such a test fails this one.
 */
const PROVEN_BY: Record<string, { test: string; who: string }> = {
  saveAllocations: { test: "tests/integration/admin-permissions.test.ts", who: "admins" },
  sendInvitation: { test: "tests/integration/admin-permissions.test.ts", who: "admins" },
  sendInvitationAgain: { test: "tests/integration/admin-permissions.test.ts", who: "admins" },
  withdrawInvitation: { test: "tests/integration/admin-permissions.test.ts", who: "admins" },
  moveSeat: { test: "tests/integration/admin-permissions.test.ts", who: "admins" },
  removeFromOrg: { test: "tests/integration/admin-permissions.test.ts", who: "admins" },
  issueApiKey: { test: "tests/integration/admin-permissions.test.ts", who: "admins" },
  revokeApiKey: { test: "tests/integration/admin-permissions.test.ts", who: "admins" },
  saveAlertWebhook: { test: "tests/integration/admin-permissions.test.ts", who: "admins" },
  rotateAlertSecret: { test: "tests/integration/admin-permissions.test.ts", who: "admins" },
  removeAlertWebhook: { test: "tests/integration/admin-permissions.test.ts", who: "admins" },
  markAllRead: { test: "tests/integration/admin-permissions.test.ts", who: "any member, own notifications only" },
  askAdminToUpgrade: { test: "tests/integration/upgrade-request.test.ts", who: "members who cannot change the plan, for their own org only" },
  openBillingPortal: { test: "tests/integration/billing-page-actions.test.ts", who: "admins" },
  confirmPlanChange: { test: "tests/integration/billing-page-actions.test.ts", who: "admins" },
  buyCredits: { test: "tests/integration/billing-page-actions.test.ts", who: "admins" },
  saveAutoTopUp: { test: "tests/integration/auto-top-up-settings.test.ts", who: "admins" },
  joinOrg: { test: "tests/integration/join-org-action.test.ts", who: "the invited person: a valid token and a live session of the invited address" },
  // Open to anyone by nature; proved through the sign-in page in a real browser.
  signInAsDemoUser: { test: "e2e/auth.spec.ts", who: "anyone; admits the demo people only, abuse-limited" },
  signInWithProvider: { test: "e2e/auth.spec.ts", who: "anyone; the OAuth provider decides" },
  signInAsInvitee: { test: "e2e/admin-members.spec.ts", who: "anyone holding an open invitation's link while demo sign-in is on; admits only an address with no user yet" },
  signOutToSignIn: { test: "e2e/auth.spec.ts", who: "anyone" },
  signInWithEmail: { test: "e2e/email-sign-in.spec.ts", who: "anyone; a link is mailed only to a member or an open invitation's address, at most 5 in 15 minutes" },
  signInInviteeByEmail: { test: "e2e/email-sign-in.spec.ts", who: "anyone holding an open invitation's link; the link goes to the invited address only" },
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === "generated" ? [] : sourceFiles(full);
    return /\.tsx?$/.test(name) ? [full] : [];
  });
}

/** Every server action, with the module it is defined in ("@/app/..." without the extension). */
function serverActions(): { name: string; module: string }[] {
  return ["app", "lib", "components"].flatMap(sourceFiles).flatMap((file) => {
    const text = readFileSync(file, "utf8");
    if (!/^\s*["']use server["'];/.test(text)) return [];
    const module = `@/${file.replace(/\.tsx?$/, "")}`;
    return [...text.matchAll(/export async function (\w+)/g)].map((match) => ({ name: match[1], module }));
  });
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Whether a test file imports `name` from the module that defines it (not a
 * namesake) and uses it beyond the import: called, or run from a table of cases.
 */
function callsAction(text: string, name: string, module: string): boolean {
  const importLine = new RegExp(`import\\s*\\{([^}]*)\\}\\s*from\\s*["']${escape(module)}["'];?`, "g");
  const imports = [...text.matchAll(importLine)];
  const imported = imports.some((m) => m[1].split(",").some((part) => part.trim() === name));
  return imported && new RegExp(`\\b${name}\\b`).test(text.replace(importLine, ""));
}

describe("server actions", () => {
  it("each one has a test that proves who may call it", () => {
    const actions = serverActions();
    expect(actions.length).toBeGreaterThan(10);
    expect(actions.filter(({ name }) => !(name in PROVEN_BY))).toEqual([]);
    for (const { name, module } of actions) {
      const { test, who } = PROVEN_BY[name];
      const text = readFileSync(test, "utf8");
      // Restricted actions must be imported from their module and run in their test; open ones only need their test to exist.
      if (!who.startsWith("anyone")) expect(callsAction(text, name, module), `${test} should import ${name} from ${module} and run it`).toBe(true);
    }
  });
});
