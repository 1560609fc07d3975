import { NextResponse, type NextRequest } from "next/server";
import { PATHNAME_HEADER } from "@/lib/auth/page-audience";

/**
 * The host a browser addressed: the first X-Forwarded-Host when a proxy in
 * front set one, else Host. Next's own server-action check compares Origin
 * with the same value.
 */
function requestHost(headers: Headers): string | null {
  const host = headers.get("x-forwarded-host")?.split(",")[0]?.trim() || headers.get("host");
  return host ? host.toLowerCase() : null;
}

/**
 * A POST sent from a page of another origin. Every POST that reaches the
 * proxy (pages, not /api) is a server action: with the Next-Action header from
 * the app's own script, or a plain form post. Next refuses a cross-origin one
 * by throwing, which answers 500. `Origin: null` (a sandboxed or privacy-
 * sensitive context) does not parse, so it is refused too. A POST without
 * Origin is left to Next, which lets it through: browsers send Origin on every
 * POST, so only a non-browser client omits it, and it carries no victim's cookie.
 */
function crossOriginPost(request: NextRequest): boolean {
  const origin = request.headers.get("origin");
  if (request.method !== "POST" || origin === null) return false;
  return !URL.canParse(origin) || new URL(origin).host !== requestHost(request.headers);
}

/** The pages that need a signed-in member (each also checks the session itself: requireSession). */
const SIGNED_IN_ONLY = ["/settings/", "/admin/", "/notifications", "/signup/"];

/** Auth.js's session cookie, chunked or not, over http or https. */
const hasSessionCookie = (request: NextRequest) =>
  request.cookies.getAll().some(({ name }) => /^(__Secure-)?authjs\.session-token(\.\d+)?$/.test(name));

/**
 * A page view with no session cookie at all, on a page that needs one: the
 * redirect to sign-in is answered here, as a 307, before any of the page (or
 * its loading state) streams. A cookie that names no live session is still
 * sent to sign-in by the page.
 */
function signedOutPageView(request: NextRequest): boolean {
  if (request.method !== "GET" && request.method !== "HEAD") return false;
  const path = request.nextUrl.pathname;
  return SIGNED_IN_ONLY.some((prefix) => path === prefix.replace(/\/$/, "") || path.startsWith(prefix)) && !hasSessionCookie(request);
}

/**
 * A cross-origin POST answers 403 with a short text, before Next's action
 * handling. Every other page view gets a fresh nonce and a strict Content
 * Security Policy: scripts run only when they carry the nonce (Next applies it
 * to its own scripts) or are loaded by one that does. API routes are left out:
 * they serve JSON, and the enforcement path should not pay for this.
 */
export function proxy(request: NextRequest) {
  if (crossOriginPost(request)) {
    return new NextResponse("Forbidden: this request came from another site.", { status: 403, headers: { "content-type": "text/plain; charset=utf-8" } });
  }
  if (signedOutPageView(request)) {
    // On the host the browser addressed: Next's own URL calls a loopback server "localhost".
    const origin = `${request.nextUrl.protocol}//${requestHost(request.headers) ?? request.nextUrl.host}`;
    return NextResponse.redirect(new URL(`/signin?callbackUrl=${encodeURIComponent(request.nextUrl.pathname)}`, origin), 307);
  }
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const development = process.env.NODE_ENV === "development";
  const policy = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ""}`,
    // React and the charts set inline style attributes.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    // Billing forms redirect to Stripe's hosted Checkout and Billing Portal.
    "form-action 'self' https://checkout.stripe.com https://billing.stripe.com",
    "frame-ancestors 'none'",
  ].join("; ");
  const headers = new Headers(request.headers);
  headers.set("x-nonce", nonce);
  // The 403 page says who the refused page is for (app/(app)/forbidden.tsx).
  headers.set(PATHNAME_HEADER, request.nextUrl.pathname);
  headers.set("Content-Security-Policy", policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("Content-Security-Policy", policy);
  return response;
}

export const config = {
  matcher: [
    {
      source: "/((?!api|_next/static|_next/image|favicon.ico).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
