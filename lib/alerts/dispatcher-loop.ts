import { z } from "zod";
import { store } from "@/lib/db/process-store";
import { appMailer } from "@/lib/mail/app-mailer";
import { dispatchAlerts } from "./dispatch";
import { startBackgroundLoop } from "@/lib/process/background-loop";

const loopEnv = z.object({
  /** How often the server process runs a dispatcher pass; 0 leaves dispatching to another process. */
  ALERT_DISPATCH_INTERVAL_MS: z.coerce.number().int().min(0).max(3_600_000).default(5_000),
});

/**
 * Runs the alert dispatcher in this server process every few seconds, one pass
 * at a time (lib/process/background-loop.ts: a failing pass is logged once per
 * outage and retried on the next tick; it never takes the server down).
 */
export function startAlertDispatcher(env: NodeJS.ProcessEnv = process.env) {
  const { ALERT_DISPATCH_INTERVAL_MS: intervalMs } = loopEnv.parse(env);
  startBackgroundLoop({
    name: "alert-dispatcher",
    intervalMs,
    log: { failed: "alert dispatcher pass failed; retrying every tick until it recovers", recovered: "Alert dispatcher recovered." },
    pass: () => {
      const { prisma } = store();
      return dispatchAlerts({ db: prisma, mailer: appMailer(prisma) });
    },
  });
}
