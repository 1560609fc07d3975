import type { Provider } from "next-auth/providers";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { invitationForToken } from "@/lib/admin/accept-invitation";
import { db } from "@/lib/db";
import { demoSignInEnabled } from "./providers";

/**
 * The demo's stand-in for an invitee's own sign-in. In the demo the mail
 * outbox is the inbox, so holding an open invitation's link signs its holder
 * in as the invited address, and nothing more: only an address with no user
 * yet (an existing user signs in as themselves, with their own method), and
 * only while demo sign-in is on. What the session may do is still decided by
 * the invitation: accept it, and nothing else until then.
 */

export const DEMO_INVITEE_PROVIDER_ID = "demo-invitee";

const credentials = z.object({ token: z.string().regex(/^[\w-]{16,200}$/) });

const demoInviteeProvider = Credentials({
  id: DEMO_INVITEE_PROVIDER_ID,
  name: "Demo invitee",
  credentials: { token: {} },
  async authorize(input) {
    const parsed = credentials.safeParse(input);
    if (!parsed.success) return null;
    const invitation = await invitationForToken(db(), parsed.data.token);
    if (!invitation || invitation.hasUser) return null;
    return { id: invitation.email, email: invitation.email, name: invitation.email.split("@")[0] };
  },
});

export function demoInviteeProviders(env: NodeJS.ProcessEnv = process.env): Provider[] {
  return demoSignInEnabled(env) ? [demoInviteeProvider] : [];
}
