import type { PrismaClient } from "@/lib/generated/prisma/client";
import { isAdmin, type Role } from "@/lib/auth/roles";
import { startOfUtcDay } from "@/lib/billing-cycle";
import { storedPlan, storedRole } from "@/lib/db/stored-values";
import { PLANS, type PlanId } from "@/lib/limits/plans";
import { mayAskToUpgrade } from "@/lib/plan-upgrade";

/**
 * "Ask an admin to upgrade": members who cannot change the plan (only admins
 * and super admins can) ask instead of meeting a read-only page. Each admin of
 * the org gets one notification naming who asked; asking again the same UTC
 * day tells no one twice (a unique key per asker, admin and day), so a double
 * click or an impatient member never floods the admins.
 */

export interface Asker {
  orgId: string;
  userId: string;
  role: Role;
}

export type UpgradeRequestOutcome = { told: number } | { refused: "not_applicable" | "no_admins" };

export async function askAdminsToUpgrade(db: PrismaClient, asker: Asker, now = new Date()): Promise<UpgradeRequestOutcome> {
  const org = await db.org.findUniqueOrThrow({
    where: { id: asker.orgId },
    select: { plan: true, subscriptionStatus: true, memberships: { select: { userId: true, role: true } } },
  });
  if (!mayAskToUpgrade(asker.role, storedPlan(org.plan), org.subscriptionStatus)) return { refused: "not_applicable" };
  const admins = org.memberships.filter((m) => isAdmin(storedRole(m.role)));
  if (admins.length === 0) return { refused: "no_admins" };
  const requestDay = startOfUtcDay(now);
  await db.notification.createMany({
    data: admins.map((admin) => ({ orgId: asker.orgId, userId: admin.userId, upgradeRequestedBy: asker.userId, requestDay })),
    skipDuplicates: true,
  });
  return { told: admins.length };
}

/** The admins' notification, worded. */
export function describeUpgradeRequest(askerName: string, plan: PlanId): { title: string; detail: string } {
  const next = plan === "free" ? "a paid plan" : "a higher tier";
  return {
    title: `${askerName} asks to upgrade the plan`,
    detail: `The org is on ${PLANS[plan].name}. Pick ${next} in Settings > Billing if more room is needed.`,
  };
}
