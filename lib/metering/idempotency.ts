import { createHash } from "node:crypto";
import { ApiError } from "@/lib/api/errors";
import type { Tx } from "./types";

/** A stable fingerprint of what a request asked for, to tell a retry from a reuse of its key. */
export function requestHash(operation: string, body: unknown): string {
  return createHash("sha256").update(operation).update(stableJson(body)).digest("hex");
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

export type Claim = { kind: "claimed" } | { kind: "replay"; response: unknown };

/**
 * Claims an idempotency key inside the caller's transaction. A concurrent
 * request with the same key waits on the unique index until the first one
 * commits (then replays its answer) or rolls back (then claims the key itself),
 * so nothing is ever counted twice. A key reused for another request is a 409.
 */
export async function claimIdempotencyKey(tx: Tx, orgId: string, key: string, hash: string): Promise<Claim> {
  const inserted = await tx.$queryRaw<unknown[]>`
    INSERT INTO idempotency_keys (org_id, key, request_hash, status, response)
    VALUES (${orgId}, ${key}, ${hash}, 0, 'null'::jsonb)
    ON CONFLICT (org_id, key) DO NOTHING
    RETURNING 1`;
  if (inserted.length) return { kind: "claimed" };
  const [previous] = await tx.$queryRaw<{ request_hash: string; response: unknown }[]>`
    SELECT request_hash, response FROM idempotency_keys WHERE org_id = ${orgId} AND key = ${key}`;
  if (previous.request_hash !== hash) {
    throw new ApiError(
      "idempotency_conflict",
      `The idempotency key "${key}" was already used for a different request.`,
      { idempotencyKey: key },
    );
  }
  return { kind: "replay", response: previous.response };
}

export async function storeIdempotentResponse(tx: Tx, orgId: string, key: string, response: unknown) {
  await tx.$executeRaw`
    UPDATE idempotency_keys SET status = 200, response = ${JSON.stringify(response)}::jsonb
    WHERE org_id = ${orgId} AND key = ${key}`;
}
