import { REQUEST_ID_HEADER, requestIdFor } from "@/lib/observability/request-id";
import { ApiError } from "./errors";
import { errorReply } from "./respond";

/**
 * What an API endpoint needs of a request, whichever HTTP server carries it:
 * Next's router (`nextRoute`) or the enforcement server (`lib/http`).
 */
export interface ApiRequest {
  headers: Pick<Headers, "get">;
  /** The query string's parameters (empty without one). */
  readonly query: URLSearchParams;
  /** The body as text; refuses one over `maxBytes` with 413 without holding it all. */
  text(maxBytes: number): Promise<string>;
}

export interface ApiReply {
  status: number;
  /**
   * Sent as JSON; or, when contentType is given, as it is: a string, or a
   * StreamedBody written chunk by chunk as it is produced (never held whole).
   */
  body: unknown;
  contentType?: string;
  headers?: Record<string, string>;
}

/** A body produced while it is sent: each string is written when the client can take it, so it never sits whole in memory. */
export type StreamedBody = AsyncIterable<string>;

export function isStreamedBody(body: unknown): body is StreamedBody {
  return typeof (body as { [Symbol.asyncIterator]?: unknown } | null)?.[Symbol.asyncIterator] === "function";
}

/**
 * A streamed reply with its first chunk already produced, so that a failure
 * before anything was sent (the store down at the first query) is still
 * answered with its own status; after the first chunk the status is sent and
 * a failure can only cut the body short.
 */
export async function startStream(reply: ApiReply & { body: StreamedBody }): Promise<
  { ok: true; first: string | null; rest: AsyncIterator<string> } | { ok: false; reply: ApiReply }
> {
  const rest = reply.body[Symbol.asyncIterator]();
  try {
    const first = await rest.next();
    return { ok: true, first: first.done ? null : first.value, rest };
  } catch (error) {
    return { ok: false, reply: errorReply(error) };
  }
}

/** An endpoint's reply as a Web Response: JSON, a string, or a streamed body read only as fast as the client takes it. */
export async function replyResponse(reply: ApiReply, extraHeaders: Record<string, string> = {}): Promise<Response> {
  const headers = { ...reply.headers, ...extraHeaders };
  if (!reply.contentType) return Response.json(reply.body, { status: reply.status, headers });
  if (!isStreamedBody(reply.body)) return new Response(String(reply.body), { status: reply.status, headers: { ...headers, "Content-Type": reply.contentType } });
  const started = await startStream(reply as ApiReply & { body: StreamedBody });
  if (!started.ok) return replyResponse(started.reply, extraHeaders);
  const { first, rest } = started;
  const encoder = new TextEncoder();
  let pending = first;
  // Pulled, not pushed: the next chunk is produced only when the stream's queue has room.
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (pending !== null) {
        controller.enqueue(encoder.encode(pending));
        pending = null;
        return;
      }
      const next = await rest.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      // The client went away: stop producing (ends the reader's queries).
      await rest.return?.();
    },
  });
  return new Response(stream, { status: reply.status, headers: { ...headers, "Content-Type": reply.contentType } });
}

export type Endpoint = (request: ApiRequest) => Promise<ApiReply>;

export const payloadTooLarge = (maxBytes: number) =>
  new ApiError("payload_too_large", `Request bodies are limited to ${maxBytes} bytes.`);

/** Adapts an endpoint to a Next.js route handler (the production server answers endpoints itself: lib/http). */
export function nextRoute(endpoint: Endpoint) {
  return async (request: Request): Promise<Response> => {
    const requestId = requestIdFor(request.headers.get(REQUEST_ID_HEADER));
    let query: URLSearchParams | undefined;
    const reply = await endpoint({
      headers: { get: (name) => (name.toLowerCase() === REQUEST_ID_HEADER ? requestId : request.headers.get(name)) },
      // Parsed only when asked for: the enforcement routes take no query.
      get query() {
        return (query ??= new URL(request.url).searchParams);
      },
      async text(maxBytes) {
        return new TextDecoder().decode(await readBodyWithin(request, maxBytes, () => payloadTooLarge(maxBytes)));
      },
    });
    return replyResponse(reply, { "X-Request-Id": requestId });
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
