import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { Mailer } from "@/lib/mail/mailer";
import { deliverDue } from "./deliveries";
import { fanOutAlerts } from "./fan-out";
import { resolveEndedPeriods } from "./period-reset";

export interface DispatchDeps {
  db: PrismaClient;
  mailer: Mailer;
}

/**
 * One pass of the alert dispatcher: resolve alerts of billing periods that
 * ended, give every new alert its delivery set, then send what is due. Safe to
 * run in any number of processes at once; tests call it directly with `now`.
 */
export async function dispatchAlerts(deps: DispatchDeps, now = new Date()) {
  const resolvedAtReset = await resolveEndedPeriods(deps.db, now);
  const fannedOut = await fanOutAlerts(deps.db, now);
  const sent = await deliverDue(deps, now);
  return { resolvedAtReset, fannedOut, ...sent };
}
