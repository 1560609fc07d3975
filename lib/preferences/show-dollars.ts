/**
 * The Show $ choice, kept per person in a cookie that names whose choice it is:
 * read by the Usage page on the server (so a reload opens as it was left, with
 * no flash of the other view) and written by the switch. Another person signing
 * in on the same browser starts from percentages. It only picks between views
 * the page already renders for this viewer: it never shows dollars to someone
 * not allowed to see them.
 */
export const SHOW_DOLLARS_COOKIE = "ledgerline-show-dollars";
const ONE_YEAR_S = 365 * 24 * 60 * 60;

export function prefersDollars(cookieValue: string | undefined, userId: string): boolean {
  return cookieValue !== undefined && cookieValue === encodeURIComponent(userId);
}

/** The Set-Cookie string (document.cookie) for this person's choice. */
export function showDollarsCookie(userId: string, on: boolean): string {
  return on
    ? `${SHOW_DOLLARS_COOKIE}=${encodeURIComponent(userId)}; Path=/; Max-Age=${ONE_YEAR_S}; SameSite=Lax`
    : `${SHOW_DOLLARS_COOKIE}=; Path=/; Max-Age=0; SameSite=Lax`;
}
