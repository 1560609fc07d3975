/**
 * Headers on every response, pages and API alike (next.config.ts applies them
 * to what Next serves, the enforcement server to what it serves). Pages also
 * get a nonce-based script policy from proxy.ts.
 */
export const SECURITY_HEADERS: Record<string, string> = {
  "Content-Security-Policy":
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self' https://checkout.stripe.com https://billing.stripe.com; object-src 'none'",
  "X-Frame-Options": "DENY",
  "Referrer-Policy": "strict-origin-when-cross-origin",
  "X-Content-Type-Options": "nosniff",
};
