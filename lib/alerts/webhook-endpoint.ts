import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { auditActor, requireAdmin, type Actor } from "@/lib/admin/actor";
import { ApiError } from "@/lib/api/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { TX_OPTIONS } from "@/lib/metering/types";

/**
 * An org's alert webhook: where alerts are posted and the secret they are
 * signed with. The secret is created with the endpoint and kept across URL
 * changes until an admin rotates it. Audit entries name URLs, never secrets.
 */

const webhookUrl = z
  .url({ protocol: /^https?$/, error: "Enter a full http:// or https:// URL." })
  .max(2_000)
  .refine((url) => !new URL(url).username && !new URL(url).password, "Put credentials in your receiver's checks, not in the URL.");

const newSecret = () => `llsig_${randomBytes(32).toString("base64url")}`;

export async function saveWebhookEndpoint(db: PrismaClient, actor: Actor, input: { url: string }, now = new Date()) {
  requireAdmin(actor);
  const parsed = webhookUrl.safeParse(input.url.trim());
  if (!parsed.success) throw new ApiError("invalid_request", parsed.error.issues[0].message, { field: "url" });
  const url = parsed.data;
  await db.$transaction(async (tx) => {
    const before = await tx.webhookEndpoint.findUnique({ where: { orgId: actor.orgId }, select: { url: true } });
    if (before?.url === url) return;
    await tx.webhookEndpoint.upsert({
      where: { orgId: actor.orgId },
      create: { orgId: actor.orgId, url, secret: newSecret(), updatedAt: now },
      update: { url, updatedAt: now },
    });
    await recordAudit(tx, { orgId: actor.orgId, actor: auditActor(actor), action: "alert_webhook_changed", before: before ?? undefined, after: { url } });
  }, TX_OPTIONS);
}

/** Stops posting alerts; retries still queued for the old URL stop too (see deliveries.ts). */
export async function removeWebhookEndpoint(db: PrismaClient, actor: Actor) {
  requireAdmin(actor);
  await db.$transaction(async (tx) => {
    const removed = await tx.webhookEndpoint.deleteMany({ where: { orgId: actor.orgId } });
    if (!removed.count) throw new ApiError("not_found", "No alert webhook is set.");
    await recordAudit(tx, { orgId: actor.orgId, actor: auditActor(actor), action: "alert_webhook_removed" });
  }, TX_OPTIONS);
}

/** A new signing secret, used from the next attempt on; the old one stops verifying at once. */
export async function rotateWebhookSecret(db: PrismaClient, actor: Actor, now = new Date()) {
  requireAdmin(actor);
  await db.$transaction(async (tx) => {
    const rotated = await tx.webhookEndpoint.updateMany({ where: { orgId: actor.orgId }, data: { secret: newSecret(), updatedAt: now } });
    if (!rotated.count) throw new ApiError("not_found", "Set a webhook URL first.");
    await recordAudit(tx, { orgId: actor.orgId, actor: auditActor(actor), action: "alert_webhook_secret_rotated" });
  }, TX_OPTIONS);
}
