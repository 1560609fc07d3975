import { createHash, randomBytes } from "node:crypto";
import { LRUCache } from "lru-cache";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { ApiError } from "@/lib/api/errors";
import { processSingleton } from "@/lib/process/singleton";

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

/** The token of an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(authorization: string | null): string | null {
  return authorization?.match(/^Bearer\s+(\S+)$/i)?.[1] ?? null;
}

export function bearerKey(authorization: string | null): string {
  const key = bearerToken(authorization);
  if (!key) throw new ApiError("unauthorized", "Send your API key as `Authorization: Bearer <key>`.");
  return key;
}

const invalidKey = () => new ApiError("unauthorized", "This API key is not valid or was revoked.");

/** A key's last use (api_key_uses) is written at most this often, to keep the hot path free of writes. */
const LAST_USED_RESOLUTION_MS = 60_000;

/** The org behind a key hash, checked against the store now (revocation applies at once), or a 401. */
export async function authenticateApiKey(db: PrismaClient, keyHash: string, now = new Date()) {
  const found = await db.apiKey.findUnique({ where: { keyHash }, select: { orgId: true, revokedAt: true } });
  if (!found || found.revokedAt) throw invalidKey();
  const use = await db.apiKeyUse.findUnique({ where: { orgId_keyHash: { orgId: found.orgId, keyHash } }, select: { lastUsedAt: true } });
  if (!use || now.getTime() - use.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await db.apiKeyUse.upsert({
      where: { orgId_keyHash: { orgId: found.orgId, keyHash } },
      create: { orgId: found.orgId, keyHash, lastUsedAt: now },
      update: { lastUsedAt: now },
    });
  }
  rememberKeyOrg(keyHash, found.orgId);
  return { orgId: found.orgId };
}

// A key's org never changes, so hash -> org is safe to remember. Whether the key
// is still valid is not: routes that use this must have the store re-check the
// key in the same round trip as their work (see ledgerline_consume).
const keyOrgs = () => processSingleton("api-key-orgs", () => new LRUCache<string, string>({ max: 10_000 }));

function rememberKeyOrg(keyHash: string, orgId: string) {
  keyOrgs().set(keyHash, orgId);
}

/** The org a key belongs to, from memory when known; revocation is left to the caller's store check. */
export async function orgOfApiKey(db: PrismaClient, keyHash: string) {
  const known = keyOrgs().get(keyHash);
  return known ? { orgId: known } : authenticateApiKey(db, keyHash);
}
