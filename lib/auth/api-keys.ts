import { createHash, randomBytes } from "node:crypto";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { ApiError } from "@/lib/api/errors";

const KEY_PREFIX = "ll_live_";

/** A new key: 32 random bytes. Only its hash is stored; the key is shown once. */
export function generateApiKey(): { key: string; prefix: string; keyHash: string } {
  const key = KEY_PREFIX + randomBytes(32).toString("base64url");
  return { key, prefix: key.slice(0, KEY_PREFIX.length + 6), keyHash: hashApiKey(key) };
}

/**
 * Keys are looked up by their SHA-256, so the secret itself is never compared
 * byte by byte (no timing signal) and a database leak reveals no usable key.
 */
export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

/** last_used_at is written at most this often, to keep the hot path free of writes. */
const LAST_USED_RESOLUTION_MS = 60_000;

/** The org behind an `Authorization: Bearer <key>` header, or a 401. */
export async function authenticateApiKey(db: PrismaClient, authorization: string | null, now = new Date()) {
  const key = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (!key) throw new ApiError("unauthorized", "Send your API key as `Authorization: Bearer <key>`.");
  const found = await db.apiKey.findUnique({
    where: { keyHash: hashApiKey(key) },
    select: { id: true, orgId: true, revokedAt: true, lastUsedAt: true },
  });
  if (!found || found.revokedAt) throw new ApiError("unauthorized", "This API key is not valid or was revoked.");
  if (!found.lastUsedAt || now.getTime() - found.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await db.apiKey.update({ where: { id: found.id }, data: { lastUsedAt: now } });
  }
  return { orgId: found.orgId, apiKeyId: found.id };
}
