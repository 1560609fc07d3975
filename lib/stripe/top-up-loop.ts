import { z } from "zod";
import { store } from "@/lib/db/process-store";
import { onTopUpOpened } from "@/lib/metering/top-up-kick";
import { logger } from "@/lib/observability/log";
import { startBackgroundLoop } from "@/lib/process/background-loop";
import { sendOrgTopUps, sendPendingTopUps } from "./top-up-sender";

const loopEnv = z.object({
  /** How often the server process sends pending top-ups; 0 leaves it to another process. */
  AUTO_TOP_UP_INTERVAL_MS: z.coerce.number().int().min(0).max(3_600_000).default(60_000),
});

/**
 * Sends automatic top-ups from this server process: at once when a settle
 * here opens one (lib/metering/top-up-kick.ts), and on every tick for the
 * rest (opened by another instance, or left by a failed attempt); a failing
 * pass is logged once per outage and retried on the next tick
 * (lib/process/background-loop.ts). Several instances may run it: a top-up is
 * claimed by one sender at a time.
 */
export function startTopUpSender(env: NodeJS.ProcessEnv = process.env) {
  const { AUTO_TOP_UP_INTERVAL_MS: intervalMs } = loopEnv.parse(env);
  const started = startBackgroundLoop({
    name: "auto-top-up-sender",
    intervalMs,
    log: { failed: "auto top-up pass failed; retrying every tick until it recovers", recovered: "Auto top-up sender recovered." },
    pass: () => sendPendingTopUps(store().prisma),
  });
  if (!started) return;
  onTopUpOpened((orgId) => {
    sendOrgTopUps(store().prisma, orgId).catch((error) => logger().warn({ err: error, orgId }, "auto top-up not sent at once; the next pass sends it"));
  });
}
