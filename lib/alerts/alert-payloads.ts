import { USAGE_LIMITS_PATH } from "@/lib/admin/paths";
import { appLink } from "@/lib/app-url";
import { billingPeriodFor } from "@/lib/billing-cycle";
import { isMetricId, METRICS } from "@/lib/limits/metrics";
import { ADMIN_BILLING_PATH } from "@/lib/plan-upgrade";
import { alertPace, describeAlert, type AlertFacts } from "./alert-words";

export interface StoredAlert extends AlertFacts {
  id: bigint;
  orgId: string;
  createdAt: Date;
}

/**
 * The JSON posted to an org's webhook. `id` is the same on every retry of the
 * alert, so receivers can drop duplicates; amounts are in the metric's unit
 * (micro-dollars for the AI budget).
 */
export function webhookEvent(alert: StoredAlert, billingAnchor: Date) {
  const cumulative = isMetricId(alert.metric) && METRICS[alert.metric].cumulative;
  return {
    id: `alert_${alert.id}`,
    type: `usage_alert.${alert.state}`,
    createdAt: alert.createdAt.toISOString(),
    data: {
      orgId: alert.orgId,
      scope: alert.userId ? "member" : "org",
      userId: alert.userId || null,
      metric: alert.metric,
      unit: isMetricId(alert.metric) ? METRICS[alert.metric].unit : "count",
      threshold: alert.threshold,
      state: alert.state,
      cause: alert.cause,
      used: alert.used,
      limit: alert.limit,
      periodStart: cumulative ? null : alert.periodStart.toISOString(),
      resetsAt: cumulative ? null : billingPeriodFor(billingAnchor, alert.periodStart).end.toISOString(),
    },
  };
}

export interface AlertEmailContent {
  subject: string;
  text: string;
}

/** The email to an org's admins, who may see dollar amounts. */
export function alertEmail(alert: StoredAlert, orgName: string, memberName: string | null, billingAnchor: Date): AlertEmailContent {
  const words = describeAlert({ ...alert, pace: alertPace(alert, billingAnchor) }, { memberName, showDollars: true });
  return {
    subject: `[${orgName}] ${words.title}`,
    text: [
      words.title,
      "",
      words.detail,
      "",
      `Usage this cycle: ${appLink("/settings/usage")}`,
      alert.userId ? `Per-user allocations: ${appLink(USAGE_LIMITS_PATH)}` : `Plan and billing: ${appLink(ADMIN_BILLING_PATH)}`,
    ].join("\n"),
  };
}
