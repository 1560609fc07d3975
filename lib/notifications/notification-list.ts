import type { PrismaClient } from "@/lib/generated/prisma/client";
import { alertPace, describeAlert, type AlertFacts } from "@/lib/alerts/alert-words";
import { canSeeDollars, type Role } from "@/lib/auth/roles";
import { storedPlan } from "@/lib/db/stored-values";
import { describeTopUpNotice } from "./top-up-notice";
import { describeUpgradeRequest } from "./upgrade-request";

/**
 * The signed-in member's notifications, worded for them: their own allocation
 * is "your", dollar amounts only for those allowed to see them. Alerts are
 * stored as numbers and worded when read, so a notification carries nothing a
 * reader may not see.
 */

export interface Reader {
  userId: string;
  orgId: string;
  role: Role;
}

export interface NotificationView {
  id: string;
  title: string;
  detail: string;
  createdAt: string;
  unread: boolean;
  tone: "raised" | "resolved";
}

const PAGE = 50;

export async function listNotifications(db: PrismaClient, reader: Reader): Promise<NotificationView[]> {
  const [org, rows] = await Promise.all([
    db.org.findUniqueOrThrow({ where: { id: reader.orgId }, select: { previewFlag: true, plan: true, billingAnchor: true, memberships: { select: { userId: true, user: { select: { name: true } } } } } }),
    db.notification.findMany({ where: { orgId: reader.orgId, userId: reader.userId }, orderBy: { id: "desc" }, take: PAGE, include: { alert: true, topUp: true } }),
  ]);
  const showDollars = canSeeDollars(reader.role, org.previewFlag);
  const nameOf = (userId: string) => (userId === reader.userId ? "you" : (org.memberships.find((m) => m.userId === userId)?.user.name ?? "A former member"));
  return rows.map(({ id, alert, topUp, upgradeRequestedBy, readAt, createdAt }) => {
    const read = { id: String(id), createdAt: createdAt.toISOString(), unread: readAt === null };
    if (topUp) {
      const words = describeTopUpNotice({ status: topUp.status, amountMicros: Number(topUp.amountMicros), failure: topUp.failure }, showDollars);
      return { ...read, ...words, tone: "raised" as const };
    }
    if (!alert) return { ...read, ...describeUpgradeRequest(nameOf(upgradeRequestedBy ?? ""), storedPlan(org.plan)), tone: "raised" as const };
    const facts: AlertFacts = {
      userId: alert.userId,
      metric: alert.metric,
      periodStart: alert.periodStart,
      threshold: alert.threshold,
      state: alert.state as AlertFacts["state"],
      cause: alert.cause as AlertFacts["cause"],
      used: Number(alert.used),
      limit: Number(alert.limitValue),
      pace: alertPace(alert, org.billingAnchor),
    };
    const words = describeAlert(facts, { memberName: alert.userId ? nameOf(alert.userId) : null, showDollars });
    return { ...read, ...words, tone: facts.state };
  });
}

export async function unreadNotifications(db: PrismaClient, reader: Pick<Reader, "userId" | "orgId">): Promise<number> {
  return db.notification.count({ where: { orgId: reader.orgId, userId: reader.userId, readAt: null } });
}

export async function markNotificationsRead(db: PrismaClient, reader: Pick<Reader, "userId" | "orgId">, now = new Date()) {
  await db.notification.updateMany({ where: { orgId: reader.orgId, userId: reader.userId, readAt: null }, data: { readAt: now } });
}
