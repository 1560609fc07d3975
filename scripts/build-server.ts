import { build } from "esbuild";

/**
 * Bundles server.ts and the lib/ code it serves into the build folder as
 * server.mjs (run by `npm start`). Packages stay in node_modules; the
 * "server-only" marker is for Next's client bundles and is empty here.
 */
const distDir = process.env.NEXT_DIST_DIR ?? ".next";

await build({
  entryPoints: ["server.ts"],
  outfile: `${distDir}/server.mjs`,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  sourcemap: true,
  logLevel: "warning",
  plugins: [
    {
      name: "server-only",
      setup(build) {
        build.onResolve({ filter: /^server-only$/ }, () => ({ path: "server-only", namespace: "empty" }));
        build.onLoad({ filter: /.*/, namespace: "empty" }, () => ({ contents: "" }));
      },
    },
  ],
});
