import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Endpoint } from "@/lib/api/endpoint";
import { ApiError } from "@/lib/api/errors";
import { errorReply } from "@/lib/api/respond";
import { CLIENT_ADDRESS_HEADER, parseTrustedProxies, resolveClientAddress, type TrustedProxies } from "./client-address";
import { REQUEST_ID_HEADER, requestIdFor } from "@/lib/observability/request-id";
import { apiPath } from "./api-path";
import { headerValue, sendReply, serveEndpoint } from "./serve-endpoint";

type Handler = (request: IncomingMessage, response: ServerResponse) => unknown;

/** What Next may be handed to read: its server actions' own default limit, and far above any Stripe event. */
export const MAX_FORWARDED_BODY_BYTES = 1024 * 1024;

/** The API's own namespace: every path in it is answered here, so no spelling of an API path reaches Next. */
const API_NAMESPACE = "/api/v1/";

interface AppServerOptions {
  trustedProxies?: TrustedProxies;
}

/**
 * One HTTP server for the whole app. Every request first gets its client
 * address from the socket (see client-address.ts) and its request id, passed
 * on in headers for the endpoints and Next alike. Requests for an endpoint ("METHOD /path",
 * after normalising the path) are answered directly, as is anything else under
 * /api/v1/ (404 or 405). Everything else (pages, sign-in, webhooks) goes to
 * `fallback`, Next's request handler in production, with its body bounded:
 * a declared length up to MAX_FORWARDED_BODY_BYTES, never an open-ended
 * stream, so nothing Next reads whole can be larger.
 */
export function createAppServer(
  endpoints: Record<string, Endpoint>,
  fallback: Handler,
  { trustedProxies = parseTrustedProxies(process.env.TRUSTED_PROXIES) }: AppServerOptions = {},
) {
  const methodsByPath = new Map<string, string[]>();
  for (const route of Object.keys(endpoints)) {
    const [method, path] = route.split(" ");
    methodsByPath.set(path, [...(methodsByPath.get(path) ?? []), method]);
  }

  const server = createServer((request, response) => {
    request.headers[CLIENT_ADDRESS_HEADER] = resolveClientAddress(request.socket.remoteAddress, headerValue(request, "x-forwarded-for") ?? undefined, trustedProxies);
    // Every answer, API or page, names its request; the log lines about it carry the same id.
    const requestId = requestIdFor(headerValue(request, REQUEST_ID_HEADER));
    request.headers[REQUEST_ID_HEADER] = requestId;
    response.setHeader("X-Request-Id", requestId);
    const path = apiPath(request.url ?? "/");
    const endpoint = endpoints[`${request.method} ${path}`];
    if (endpoint) return void serveEndpoint(endpoint, request, response);
    if (path.startsWith(API_NAMESPACE) || methodsByPath.has(path)) return refuse(request, response, unrouted(path, methodsByPath.get(path)));
    const tooLarge = forwardedBodyProblem(request);
    if (tooLarge) return refuse(request, response, tooLarge);
    void fallback(request, response);
  });
  // A client that trickles its headers or body holds a connection for at most this long (Node allows 5 minutes).
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  return server;
}

function unrouted(path: string, methods: string[] | undefined): ApiError {
  if (methods) return new ApiError("method_not_allowed", `${path} answers ${methods.join(", ")}.`, { allow: methods });
  return new ApiError("not_found", `No API route at ${path}.`);
}

function forwardedBodyProblem(request: IncomingMessage): ApiError | null {
  const declared = request.headers["content-length"];
  if (declared !== undefined) {
    return Number(declared) > MAX_FORWARDED_BODY_BYTES
      ? new ApiError("payload_too_large", `Request bodies are limited to ${MAX_FORWARDED_BODY_BYTES} bytes.`)
      : null;
  }
  if (request.headers["transfer-encoding"]) {
    return new ApiError("length_required", "Send a Content-Length with the body.");
  }
  return null;
}

/** Answers without reading the body, then drops the connection so the client cannot keep sending it. */
function refuse(request: IncomingMessage, response: ServerResponse, error: ApiError) {
  const reply = errorReply(error);
  if (error.code === "method_not_allowed") reply.headers = { ...reply.headers, Allow: (error.details.allow as string[]).join(", ") };
  sendReply(request, response, reply);
}
