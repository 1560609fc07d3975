import type { NextConfig } from "next";
import { devOrigins } from "./lib/http/dev-origins";
import { SECURITY_HEADERS } from "./lib/http/security-headers";

const nextConfig: NextConfig = {
  // PGlite ships WASM and data files that must be loaded from node_modules, not bundled.
  serverExternalPackages: ["@electric-sql/pglite", "pglite-prisma-adapter", "pg"],
  poweredByHeader: false,
  // `npm run dev` works from every address it announces, not only localhost.
  allowedDevOrigins: devOrigins(),
  // The build checks the app; tests, e2e and scripts are checked by `npm run typecheck` (and CI).
  typescript: { tsconfigPath: "tsconfig.build.json" },
  // The benchmark builds into its own folder so it never clobbers a dev or e2e build.
  distDir: process.env.NEXT_DIST_DIR ?? ".next",
  // forbidden(): Admin pages answer 403 with app/(app)/forbidden.tsx.
  experimental: { authInterrupts: true },
  async headers() {
    return [{ source: "/:path*", headers: Object.entries(SECURITY_HEADERS).map(([key, value]) => ({ key, value })) }];
  },
};

export default nextConfig;
