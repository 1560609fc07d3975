import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Endpoint } from "@/lib/api/endpoint";
import { serveEndpoint } from "./serve-endpoint";

type Handler = (request: IncomingMessage, response: ServerResponse) => unknown;

/**
 * One HTTP server for the whole app: requests for an endpoint in `endpoints`
 * ("METHOD /path", exact) are answered directly; everything else (pages,
 * sign-in, webhooks, redirects, 404s and 405s) goes to `fallback`, Next's
 * request handler in production.
 */
export function createAppServer(endpoints: Record<string, Endpoint>, fallback: Handler) {
  return createServer((request, response) => {
    const url = request.url ?? "/";
    const query = url.indexOf("?");
    const endpoint = endpoints[`${request.method} ${query < 0 ? url : url.slice(0, query)}`];
    if (endpoint) void serveEndpoint(endpoint, request, response);
    else void fallback(request, response);
  });
}
