import { storedRole } from "@/lib/db/stored-values";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { isAdmin, type Role } from "@/lib/auth/roles";
import { TX_OPTIONS } from "@/lib/metering/types";
import { alertEmail, webhookEvent, type StoredAlert } from "./alert-payloads";

interface AlertRow {
  id: bigint;
  org_id: string;
  user_id: string;
  metric: string;
  period_start: Date;
  threshold: number;
  state: "raised" | "resolved";
  cause: "usage" | "period_reset";
  used: bigint;
  limit_value: bigint;
  created_at: Date;
}

interface Member {
  userId: string;
  role: Role;
  user: { email: string; name: string };
}

const BATCH = 50;

/**
 * Gives each new alert its delivery set, exactly once: a notification for each
 * recipient, an email delivery for each admin and a webhook delivery when the
 * org has a webhook. Work is claimed org by org: the orgs with undispatched
 * alerts are read without a lock, then each org's alerts are claimed with FOR
 * UPDATE SKIP LOCKED (a single-org statement, which Citus routes to one worker)
 * and marked dispatched in the same transaction as their set, so concurrent
 * dispatchers never fan out the same alert twice (and the unique keys on
 * notifications and deliveries would refuse it if one tried). Returns how many
 * alerts it took.
 */
export async function fanOutAlerts(db: PrismaClient, now = new Date()): Promise<number> {
  let total = 0;
  for (;;) {
    const pending = await db.$queryRaw<{ org_id: string }[]>`
      SELECT DISTINCT org_id FROM usage_alerts WHERE dispatched_at IS NULL LIMIT ${ORGS_PER_ROUND}`;
    if (!pending.length) return total;
    let taken = 0;
    for (const { org_id: orgId } of pending) taken += await fanOutOrg(db, orgId, now);
    total += taken;
    // Every org's alerts were taken by another dispatcher meanwhile: nothing left for this one.
    if (!taken) return total;
  }
}

const ORGS_PER_ROUND = 100;

async function fanOutOrg(db: PrismaClient, orgId: string, now: Date): Promise<number> {
  let total = 0;
  for (;;) {
    const taken = await db.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<AlertRow[]>`
        SELECT id, org_id, user_id, metric, period_start, threshold, state, cause, used, limit_value, created_at
        FROM usage_alerts WHERE org_id = ${orgId} AND dispatched_at IS NULL ORDER BY id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`;
      if (!rows.length) return 0;
      const stored = await tx.org.findUnique({
        where: { id: orgId },
        select: {
          id: true,
          name: true,
          billingAnchor: true,
          webhookEndpoint: { select: { url: true } },
          memberships: { select: { userId: true, role: true, user: { select: { email: true, name: true } } } },
        },
      });
      const org = stored && { ...stored, memberships: stored.memberships.map((m) => ({ ...m, role: storedRole(m.role) })) };
      const notifications: Prisma.NotificationCreateManyInput[] = [];
      const deliveries: Prisma.AlertDeliveryCreateManyInput[] = [];
      // Without the org there is nobody to tell: the alerts are only marked dispatched.
      if (org) for (const row of rows) {
        const alert = storedAlert(row);
        const member = org.memberships.find((m) => m.userId === alert.userId);
        for (const recipient of org.memberships.filter((m) => readsAlert(m, alert))) {
          notifications.push({ orgId, userId: recipient.userId, alertId: alert.id, createdAt: now });
        }
        const email = alertEmail(alert, org.name, member?.user.name ?? null, org.billingAnchor);
        for (const admin of org.memberships.filter((m) => isAdmin(m.role))) {
          deliveries.push({ orgId, alertId: alert.id, channel: "email", recipient: admin.user.email, attempt: 1, payload: { ...email }, scheduledAt: now });
        }
        if (org.webhookEndpoint) {
          const event = webhookEvent(alert, org.billingAnchor) as Prisma.InputJsonObject;
          deliveries.push({ orgId, alertId: alert.id, channel: "webhook", recipient: org.webhookEndpoint.url, attempt: 1, payload: event, scheduledAt: now });
        }
      }
      await tx.notification.createMany({ data: notifications, skipDuplicates: true });
      await tx.alertDelivery.createMany({ data: deliveries, skipDuplicates: true });
      await tx.usageAlert.updateMany({ where: { orgId, id: { in: rows.map((r) => r.id) } }, data: { dispatchedAt: now } });
      return rows.length;
    }, TX_OPTIONS);
    total += taken;
    if (taken < BATCH) return total;
  }
}

/**
 * Who sees an alert in the app: admins see every alert; managers, who manage
 * the plan, see the org's meters; a member sees alerts on their own allocation.
 */
function readsAlert(member: Member, alert: StoredAlert): boolean {
  if (isAdmin(member.role)) return true;
  if (!alert.userId) return member.role === "manager";
  return member.userId === alert.userId;
}

function storedAlert(row: AlertRow): StoredAlert {
  return {
    id: row.id,
    orgId: row.org_id,
    userId: row.user_id,
    metric: row.metric,
    periodStart: row.period_start,
    threshold: row.threshold,
    state: row.state,
    cause: row.cause,
    used: Number(row.used),
    limit: Number(row.limit_value),
    createdAt: row.created_at,
  };
}
