import { REQUEST_ID_HEADER, requestIdFor } from "@/lib/observability/request-id";
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
  /** Sent as JSON, or as it is when contentType is given (then a string). */
  body: unknown;
  contentType?: string;
  headers?: Record<string, string>;
}

export type Endpoint = (request: ApiRequest) => Promise<ApiReply>;

export const payloadTooLarge = (maxBytes: number) =>
  new ApiError("payload_too_large", `Request bodies are limited to ${maxBytes} bytes.`);

/** Adapts an endpoint to a Next.js route handler (the production server answers endpoints itself: lib/http). */
export function nextRoute(endpoint: Endpoint) {
  return async (request: Request): Promise<Response> => {
    const requestId = requestIdFor(request.headers.get(REQUEST_ID_HEADER));
    const reply = await endpoint({
      headers: { get: (name) => (name.toLowerCase() === REQUEST_ID_HEADER ? requestId : request.headers.get(name)) },
      async text(maxBytes) {
        return new TextDecoder().decode(await readBodyWithin(request, maxBytes, () => payloadTooLarge(maxBytes)));
      },
    });
    const headers = { ...reply.headers, "X-Request-Id": requestId };
    if (reply.contentType) return new Response(String(reply.body), { status: reply.status, headers: { ...headers, "Content-Type": reply.contentType } });
    return Response.json(reply.body, { status: reply.status, headers });
  };
}

/**
 * A Web request's body, refused with `tooLarge()` as soon as it passes
 * maxBytes (declared or actual): the stream is read chunk by chunk and
 * cancelled at the limit, so an endless body costs at most maxBytes of memory.
 */
export async function readBodyWithin(request: Request, maxBytes: number, tooLarge: () => Error): Promise<Uint8Array> {
  if (Number(request.headers.get("content-length") ?? 0) > maxBytes) throw tooLarge();
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
