import { z } from "zod";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { authenticateApiKey, bearerKey, hashApiKey, orgOfApiKey } from "@/lib/auth/api-keys";
import { apiKeyFailures } from "@/lib/auth/failure-limiter";
import { store } from "@/lib/db";
import { requestClientAddress } from "@/lib/http/client-address";
import type { SqlExecutor } from "@/lib/db/sql-executor";
import type { ApiRequest, Endpoint } from "./endpoint";
import { ApiError } from "./errors";
import { errorReply } from "./respond";

/** Bodies above this are refused with 413 before they are parsed. */
export const MAX_BODY_BYTES = 64 * 1024;

interface Context<T> {
  db: PrismaClient;
  sql: SqlExecutor;
  orgId: string;
  apiKeyHash: string;
  body: T;
}

interface Options {
  /**
   * The handler passes `apiKeyHash` to a store call that re-checks the key in
   * the same round trip, so the wrapper may skip its own lookup for known keys.
   */
  keyCheckedByStore?: boolean;
  maxBodyBytes?: number;
}

/**
 * The one wrapper for server-to-server routes: authenticates the org's API
 * key, parses the body with zod, runs the handler and maps every error to the
 * API's JSON shape. A route then reads like a sentence.
 */
export function withApiKey<S extends z.ZodType>(
  schema: S | null,
  handler: (context: Context<z.infer<S>>) => Promise<unknown>,
  { keyCheckedByStore = false, maxBodyBytes = MAX_BODY_BYTES }: Options = {},
): Endpoint {
  return async (request: ApiRequest) => {
    const client = requestClientAddress(request.headers);
    const failures = apiKeyFailures();
    try {
      const wait = failures.retryAfter(client);
      if (wait !== null) {
        throw new ApiError("rate_limited", "Too many requests with invalid API keys from this address; wait before retrying.", {}, wait);
      }
      const { prisma: db, sql } = store();
      const apiKeyHash = hashApiKey(bearerKey(request.headers.get("authorization")));
      const { orgId } = keyCheckedByStore ? await orgOfApiKey(db, apiKeyHash) : await authenticateApiKey(db, apiKeyHash);
      const body = (schema ? schema.parse(await readJson(request, maxBodyBytes)) : undefined) as z.infer<S>;
      return { status: 200, body: await handler({ db, sql, orgId, apiKeyHash, body }) };
    } catch (error) {
      if (error instanceof ApiError && error.code === "unauthorized") await failures.recordFailure(client);
      return errorReply(asApiError(error));
    }
  };
}

async function readJson(request: ApiRequest, maxBytes: number): Promise<unknown> {
  const text = await request.text(maxBytes);
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError("invalid_request", "The body must be valid JSON.");
  }
}

function asApiError(error: unknown) {
  if (error instanceof z.ZodError) {
    return new ApiError("invalid_request", "The request body is invalid.", { issues: error.issues });
  }
  return error;
}
