/**
 * The API reference: the OpenAPI document rendered by Scalar's standalone
 * bundle, served from this app (no CDN). The page carries no inline script:
 * the bundle reads the document's address from the empty #api-reference tag.
 */
const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Ledgerline API reference</title>
  </head>
  <body>
    <script id="api-reference" data-url="/api/v1/openapi.json" data-configuration='{"withDefaultFonts":false,"hideClientButton":true}'></script>
    <script src="/api/docs/reference.js"></script>
  </body>
</html>`;

const POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // The renderer sets inline styles and builds some with blob: URLs.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "frame-ancestors 'none'",
].join("; ");

export function GET() {
  return new Response(PAGE, { headers: { "content-type": "text/html; charset=utf-8", "content-security-policy": POLICY } });
}
