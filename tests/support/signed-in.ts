import type { Role } from "@/lib/auth/roles";
import type { SessionContext } from "@/lib/auth/session";

/**
 * Stands in for lib/auth/session in tests of server actions: the test says who
 * is signed in, and the actions read it as they would read the cookie.
 *   vi.mock("@/lib/auth/session", () => import("../support/signed-in"));
 */

// Next's forbidden() throws only when the app enables authInterrupts (next.config.ts does).
process.env.__NEXT_EXPERIMENTAL_AUTH_INTERRUPTS = "true";

let signedIn: SessionContext | null = null;

export function signInAs(orgId: string, userId: string, role: Role) {
  signedIn = { user: { id: userId, name: userId, email: `${userId}@example.test` }, orgId, orgName: "Test org", role };
}

export function signOut() {
  signedIn = null;
}

export async function currentSession() {
  return signedIn;
}

export async function requireSession(returnTo: string) {
  if (!signedIn) throw Object.assign(new Error("NEXT_REDIRECT"), { digest: `NEXT_REDIRECT;replace;/signin?callbackUrl=${encodeURIComponent(returnTo)};307;` });
  return signedIn;
}

/** What forbidden() throws: Next answers it with 403 and the forbidden page. */
export const isForbidden = (error: unknown) => (error as { digest?: string })?.digest === "NEXT_HTTP_ERROR_FALLBACK;403";

export function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.set(name, value);
  return data;
}
