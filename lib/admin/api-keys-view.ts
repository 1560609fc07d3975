import type { PrismaClient } from "@/lib/generated/prisma/client";
import { formatShortDate } from "@/lib/format";

/** Admin > API keys: what identifies each key (never the key), who made it, and when it was last used. */

export interface ApiKeyRowView {
  id: string;
  name: string;
  /** The first characters of the key, to recognise it by: "ll_live_Ab12Cd…". */
  prefix: string;
  createdBy: string;
  createdOn: string;
  lastUsed: string;
  revokedOn: string | null;
}

const dateTime = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", timeZone: "UTC", hourCycle: "h23" });

export async function listApiKeys(db: PrismaClient, orgId: string): Promise<ApiKeyRowView[]> {
  const [keys, uses, members] = await Promise.all([
    db.apiKey.findMany({ where: { orgId }, orderBy: [{ revokedAt: { sort: "desc", nulls: "first" } }, { createdAt: "desc" }] }),
    db.apiKeyUse.findMany({ where: { orgId } }),
    db.membership.findMany({ where: { orgId }, select: { userId: true, user: { select: { name: true } } } }),
  ]);
  const lastUsedAt = new Map(uses.map((use) => [use.keyHash, use.lastUsedAt]));
  const nameOf = (userId: string | null) => (userId ? (members.find((m) => m.userId === userId)?.user.name ?? "A former member") : "Set up with the organization");
  return keys.map((key) => ({
    id: key.id,
    name: key.name,
    prefix: `${key.prefix}…`,
    createdBy: nameOf(key.createdById),
    createdOn: formatShortDate(key.createdAt),
    lastUsed: lastUsedAt.has(key.keyHash) ? `${dateTime.format(lastUsedAt.get(key.keyHash)!)} UTC` : "Never",
    revokedOn: key.revokedAt ? formatShortDate(key.revokedAt) : null,
  }));
}
