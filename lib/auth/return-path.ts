export const DEFAULT_RETURN_PATH = "/settings/usage";

/**
 * Where to go after signing in: only a path on this site, so a crafted
 * ?callbackUrl= cannot send someone elsewhere ("//evil.test" is another host).
 */
export function safeReturnPath(candidate: unknown): string {
  if (typeof candidate !== "string" || !candidate.startsWith("/") || candidate.startsWith("//") || candidate.includes("\\")) {
    return DEFAULT_RETURN_PATH;
  }
  return candidate;
}
