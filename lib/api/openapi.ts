import { z } from "zod";
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject, type ZodOpenApiResponsesObject } from "zod-openapi";
import { errorBody } from "./answers";
import { API_KEY_ERRORS, CONTRACT, type RouteContract } from "./contract";
import { ERROR_STATUS, type ErrorCode } from "./error-codes";

/**
 * The API's OpenAPI 3.1 document, generated from the zod schemas the routes
 * parse with (lib/api/schemas.ts) and the answers' schemas (lib/api/answers.ts),
 * route by route from CONTRACT. Served at GET /api/v1/openapi.json and rendered
 * at /api/docs.
 */

/** Errors that tell the client when to come back. */
const WITH_RETRY_AFTER = new Set<number>([429, 503]);

const retryAfter = {
  "Retry-After": {
    description: "Seconds to wait: to the counter's reset for a limit, a short pause for the store or an address sending bad keys.",
    schema: { type: "integer" as const, minimum: 0 },
  },
};

function errorResponses(codes: ErrorCode[]): ZodOpenApiResponsesObject {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) byStatus.set(ERROR_STATUS[code], [...(byStatus.get(ERROR_STATUS[code]) ?? []), code]);
  const responses: ZodOpenApiResponsesObject = {};
  for (const [status, statusCodes] of [...byStatus].sort(([a], [b]) => a - b)) {
    const schema = errorBody.extend({
      error: errorBody.shape.error.extend({ code: z.enum(statusCodes as [ErrorCode, ...ErrorCode[]]) }),
    });
    responses[`${status}` as `4${string}`] = {
      description: statusCodes.map((code) => `\`${code}\``).join(", "),
      headers: WITH_RETRY_AFTER.has(status) ? retryAfter : undefined,
      content: { "application/json": { schema } },
    };
  }
  return responses;
}

function operation(contract: RouteContract): ZodOpenApiOperationObject {
  const errors = contract.auth === "apiKey" ? [...new Set([...API_KEY_ERRORS, ...contract.errors])] : contract.errors;
  return {
    operationId: contract.operationId,
    summary: contract.summary,
    description: contract.description,
    security: contract.auth === "none" ? [] : [{ [contract.auth]: [] }],
    requestParams: contract.query ? { query: contract.query } : undefined,
    requestBody: contract.body ? { required: true, content: { "application/json": { schema: contract.body } } } : undefined,
    responses: {
      "200": {
        description: contract.summary,
        content: {
          [contract.answerType ?? "application/json"]: { schema: contract.answer },
          ...Object.fromEntries(Object.entries(contract.otherAnswers ?? {}).map(([type, schema]) => [type, { schema }])),
        },
      },
      ...errorResponses(errors),
    },
  };
}

function buildDocument() {
  const paths: ZodOpenApiPathsObject = {};
  for (const [route, contract] of Object.entries(CONTRACT)) {
    const [method, path] = route.split(" ");
    paths[path] = { ...paths[path], [method.toLowerCase()]: operation(contract) };
  }
  return createDocument({
    openapi: "3.1.0",
    info: {
      title: "Ledgerline enforcement API",
      version: "1.0.0",
      description:
        "Usage metering and plan limits. Call check or consume before data work, and authorize then settle (or release) around every AI call. Money is integer micro-dollars; times are UTC.",
    },
    servers: [{ url: "/" }],
    components: {
      // Every error body, with every code: the per-status answers above narrow the code.
      schemas: { Error: errorBody },
      securitySchemes: {
        apiKey: { type: "http", scheme: "bearer", description: "An org API key from Admin > API keys." },
        metricsToken: { type: "http", scheme: "bearer", description: "The deployment's METRICS_TOKEN." },
      },
    },
    paths,
  });
}

let document: ReturnType<typeof buildDocument> | undefined;

/** Built once per process: the schemas do not change while it runs. */
export function openApiDocument() {
  return (document ??= buildDocument());
}
