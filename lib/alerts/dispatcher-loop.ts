import { z } from "zod";
import { store } from "@/lib/db/process-store";
import { appMailer } from "@/lib/mail/app-mailer";
import { dispatchAlerts } from "./dispatch";
import { logger } from "@/lib/observability/log";

const loopEnv = z.object({
  /** How often the server process runs a dispatcher pass; 0 leaves dispatching to another process. */
  ALERT_DISPATCH_INTERVAL_MS: z.coerce.number().int().min(0).max(3_600_000).default(5_000),
});

const state = globalThis as unknown as { ledgerlineDispatcher?: NodeJS.Timeout };

/**
 * Runs the alert dispatcher in this server process every few seconds, one pass
 * at a time. A failing pass (the store is down) is logged once per outage and
 * retried on the next tick; it never takes the server down.
 */
export function startAlertDispatcher(env: NodeJS.ProcessEnv = process.env) {
  const { ALERT_DISPATCH_INTERVAL_MS: intervalMs } = loopEnv.parse(env);
  if (!intervalMs || state.ledgerlineDispatcher) return;
  let failing = false;
  const tick = async () => {
    try {
      const { prisma } = store();
      await dispatchAlerts({ db: prisma, mailer: appMailer(prisma) });
      if (failing) console.info("Alert dispatcher recovered.");
      failing = false;
    } catch (error) {
      if (!failing) logger().error({ err: error }, "alert dispatcher pass failed; retrying every tick until it recovers");
      failing = true;
    }
    state.ledgerlineDispatcher = setTimeout(tick, intervalMs).unref();
  };
  state.ledgerlineDispatcher = setTimeout(tick, intervalMs).unref();
}
