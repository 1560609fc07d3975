import { z } from "zod";
import { store } from "@/lib/db/process-store";
import { onTopUpOpened } from "@/lib/metering/top-up-kick";
import { logger } from "@/lib/observability/log";
import { sendOrgTopUps, sendPendingTopUps } from "./top-up-sender";

const loopEnv = z.object({
  /** How often the server process sends pending top-ups; 0 leaves it to another process. */
  AUTO_TOP_UP_INTERVAL_MS: z.coerce.number().int().min(0).max(3_600_000).default(60_000),
});

const state = globalThis as unknown as { ledgerlineTopUpSender?: NodeJS.Timeout };

/**
 * Sends automatic top-ups from this server process: at once when a settle
 * here opens one (lib/metering/top-up-kick.ts), and on every tick for the
 * rest (opened by another instance, or left by a failed attempt). A pass that
 * fails is logged once per outage and retried on the next tick. Several
 * instances may run it: a top-up is claimed by one sender at a time.
 */
export function startTopUpSender(env: NodeJS.ProcessEnv = process.env) {
  const { AUTO_TOP_UP_INTERVAL_MS: intervalMs } = loopEnv.parse(env);
  if (!intervalMs || state.ledgerlineTopUpSender) return;
  onTopUpOpened((orgId) => {
    sendOrgTopUps(store().prisma, orgId).catch((error) => logger().warn({ err: error, orgId }, "auto top-up not sent at once; the next pass sends it"));
  });
  let failing = false;
  const tick = async () => {
    try {
      await sendPendingTopUps(store().prisma);
      if (failing) console.info("Auto top-up sender recovered.");
      failing = false;
    } catch (error) {
      if (!failing) logger().error({ err: error }, "auto top-up pass failed; retrying every tick until it recovers");
      failing = true;
    }
    state.ledgerlineTopUpSender = setTimeout(tick, intervalMs).unref();
  };
  state.ledgerlineTopUpSender = setTimeout(tick, intervalMs).unref();
}
