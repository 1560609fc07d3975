import { randomUUID } from "node:crypto";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { ApiError } from "@/lib/api/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { generateApiKey } from "@/lib/auth/api-keys";
import { TX_OPTIONS } from "@/lib/metering/types";
import { auditActor, requireAdmin, type Actor } from "./actor";

/**
 * Creates an org API key. The key itself is returned this once and never
 * stored: only its SHA-256 and a short prefix to recognise it by.
 */
export async function createOrgApiKey(db: PrismaClient, actor: Actor, input: { name: string }, now = new Date()) {
  requireAdmin(actor);
  const { key, prefix, keyHash } = generateApiKey();
  const id = `key_${randomUUID().replaceAll("-", "")}`;
  await db.$transaction(async (tx) => {
    await tx.apiKey.create({ data: { id, orgId: actor.orgId, name: input.name, keyHash, prefix, createdById: actor.userId, createdAt: now } });
    await recordAudit(tx, { orgId: actor.orgId, actor: auditActor(actor), action: "api_key_created", after: { key: id, name: input.name, prefix } });
  }, TX_OPTIONS);
  return { id, key, prefix };
}

/**
 * Revokes a key. The store checks revocation on every call, so the key's next
 * request is a 401 whatever any process has cached.
 */
export async function revokeOrgApiKey(db: PrismaClient, actor: Actor, keyId: string, now = new Date()) {
  requireAdmin(actor);
  await db.$transaction(async (tx) => {
    const revoked = await tx.apiKey.updateManyAndReturn({
      where: { id: keyId, orgId: actor.orgId, revokedAt: null },
      data: { revokedAt: now },
      select: { name: true, prefix: true },
    });
    if (!revoked.length) throw new ApiError("not_found", "That key does not exist or was already revoked.");
    await recordAudit(tx, {
      orgId: actor.orgId,
      actor: auditActor(actor),
      action: "api_key_revoked",
      before: { key: keyId, name: revoked[0].name, prefix: revoked[0].prefix },
      after: { key: keyId, revokedAt: now },
    });
  }, TX_OPTIONS);
}
