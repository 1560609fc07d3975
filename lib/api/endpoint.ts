import { ApiError } from "./errors";

/**
 * What an API endpoint needs of a request, whichever HTTP server carries it:
 * Next's router (`nextRoute`) or the enforcement server (`lib/http`).
 */
export interface ApiRequest {
  headers: Pick<Headers, "get">;
  /** The body as text; refuses one over `maxBytes` with 413 without holding it all. */
  text(maxBytes: number): Promise<string>;
}

export interface ApiReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export type Endpoint = (request: ApiRequest) => Promise<ApiReply>;

export const payloadTooLarge = (maxBytes: number) =>
  new ApiError("payload_too_large", `Request bodies are limited to ${maxBytes} bytes.`);

/** Adapts an endpoint to a Next.js route handler. */
export function nextRoute(endpoint: Endpoint) {
  return async (request: Request): Promise<Response> => {
    const reply = await endpoint({
      headers: request.headers,
      async text(maxBytes) {
        if (Number(request.headers.get("content-length") ?? 0) > maxBytes) throw payloadTooLarge(maxBytes);
        const text = await request.text();
        if (Buffer.byteLength(text) > maxBytes) throw payloadTooLarge(maxBytes);
        return text;
      },
    });
    return Response.json(reply.body, { status: reply.status, headers: reply.headers });
  };
}
