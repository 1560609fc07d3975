import type { PrismaClient } from "@/lib/generated/prisma/client";
import { describeAlert, type AlertFacts } from "./alert-words";
import { MAX_ATTEMPTS } from "./retry-schedule";

/** Admin > Alerts: the webhook settings and the delivery log, newest first. */

export interface DeliveryRowView {
  id: string;
  alert: string;
  channel: "Webhook" | "Email";
  recipient: string;
  attempt: string;
  state: "scheduled" | "sending" | "succeeded" | "failed";
  /** "HTTP 200", "HTTP 500", or why there was no answer. */
  outcome: string | null;
  /** When it ran, or when it is due. */
  at: string;
}

export interface AlertsView {
  orgId: string;
  endpoint: { url: string; secret: string } | null;
  deliveries: DeliveryRowView[];
}

const LOG_ROWS = 40;
const when = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit", timeZone: "UTC", hourCycle: "h23" });

export async function getAlertsView(db: PrismaClient, orgId: string): Promise<AlertsView> {
  const [endpoint, deliveries, members] = await Promise.all([
    db.webhookEndpoint.findUnique({ where: { orgId } }),
    db.alertDelivery.findMany({ where: { orgId }, orderBy: { id: "desc" }, take: LOG_ROWS, include: { alert: true } }),
    db.membership.findMany({ where: { orgId }, select: { userId: true, user: { select: { name: true } } } }),
  ]);
  const nameOf = (userId: string) => members.find((m) => m.userId === userId)?.user.name ?? "A former member";
  return {
    orgId,
    endpoint: endpoint && { url: endpoint.url, secret: endpoint.secret },
    deliveries: deliveries.map((d) => {
      const facts: AlertFacts = {
        userId: d.alert.userId,
        metric: d.alert.metric,
        periodStart: d.alert.periodStart,
        threshold: d.alert.threshold,
        state: d.alert.state as AlertFacts["state"],
        cause: d.alert.cause as AlertFacts["cause"],
        used: Number(d.alert.used),
        limit: Number(d.alert.limitValue),
      };
      const ran = d.finishedAt ?? d.startedAt;
      return {
        id: String(d.id),
        alert: describeAlert(facts, { memberName: facts.userId ? nameOf(facts.userId) : null, showDollars: true }).title,
        channel: d.channel === "webhook" ? "Webhook" : "Email",
        recipient: d.recipient,
        attempt: `${d.attempt} of ${MAX_ATTEMPTS}`,
        state: d.state as DeliveryRowView["state"],
        outcome: d.responseStatus !== null ? `HTTP ${d.responseStatus}${d.error ? `: ${d.error}` : ""}` : d.error,
        at: ran ? `${when.format(ran)} UTC` : `due ${when.format(d.scheduledAt)} UTC`,
      };
    }),
  };
}
