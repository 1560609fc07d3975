import { dirname, relative } from "node:path";
import { fileURLToPath } from "node:url";
import next from "next";
import { ENDPOINTS } from "@/app/api/endpoints";
import { loadEnvFiles } from "@/lib/config/env-files";
import { refuseUnsafeProduction } from "@/lib/config/production-safety";
import { createAppServer } from "@/lib/http/app-server";
import { logger } from "@/lib/observability/log";

/**
 * The production server (`npm start`): Next.js for pages, sign-in and
 * webhooks, and the enforcement API answered ahead of Next's router, from the
 * same endpoint definitions its route files use. `npm run build` bundles this
 * file into the build folder as server.mjs.
 */
// This is the production server whatever NODE_ENV says. Next would keep a NODE_ENV=development
// from the shell, and demo sign-in would then turn on without LEDGERLINE_DEMO; left unset, Next
// sets production only inside prepare(), after the check below.
Object.assign(process.env, { NODE_ENV: "production" });
// The check judges the environment Next will serve with, .env files included, before anything listens.
loadEnvFiles("production");
refuseUnsafeProduction();

// The bundle lives in its build folder (.next, or the bench's and tests' own): serve that build.
process.env.NEXT_DIST_DIR ??= relative(process.cwd(), dirname(fileURLToPath(import.meta.url)));
const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOSTNAME ?? "0.0.0.0";

const app = next({ dev: false, port, hostname });
const handle = app.getRequestHandler();
await app.prepare();

if (!process.env.SMTP_URL) logger().warn("SMTP_URL is not set: invitations and alert emails stay in the outbox at Admin > Mail outbox");

const server = createAppServer(ENDPOINTS, handle);
server.listen(port, hostname, () => logger().info({ url: `http://${hostname}:${port}` }, "Ledgerline ready"));

// Finish the requests in flight, then leave; a request still running after 10 s is cut.
function shutDown() {
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 10_000).unref();
}
process.once("SIGTERM", shutDown);
process.once("SIGINT", shutDown);
