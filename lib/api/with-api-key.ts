import type { z } from "zod";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { authenticateApiKey } from "@/lib/auth/api-keys";
import { db } from "@/lib/db";
import { ApiError } from "./errors";
import { errorResponse } from "./respond";

/** Bodies above this are refused with 413 before they are parsed. */
export const MAX_BODY_BYTES = 64 * 1024;

interface Context<T> {
  db: PrismaClient;
  orgId: string;
  body: T;
}

/**
 * The one wrapper for server-to-server routes: authenticates the org's API
 * key, parses the body with zod, runs the handler and maps every error to the
 * API's JSON shape. A route then reads like a sentence.
 */
export function withApiKey<S extends z.ZodType>(
  schema: S | null,
  handler: (context: Context<z.infer<S>>) => Promise<unknown>,
) {
  return async (request: Request): Promise<Response> => {
    try {
      const client = db();
      const { orgId } = await authenticateApiKey(client, request.headers.get("authorization"));
      const body = schema ? schema.parse(await readJson(request)) : undefined;
      return Response.json(await handler({ db: client, orgId, body }));
    } catch (error) {
      return errorResponse(asApiError(error));
    }
  };
}

async function readJson(request: Request): Promise<unknown> {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw tooLarge();
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError("invalid_request", "The body must be valid JSON.");
  }
}

const tooLarge = () => new ApiError("payload_too_large", `Request bodies are limited to ${MAX_BODY_BYTES} bytes.`);

function asApiError(error: unknown) {
  if (error && typeof error === "object" && "issues" in error && (error as Error).name === "ZodError") {
    return new ApiError("invalid_request", "The request body is invalid.", { issues: (error as z.ZodError).issues });
  }
  return error;
}
