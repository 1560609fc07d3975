import type { IncomingMessage, ServerResponse } from "node:http";
import { isStreamedBody, payloadTooLarge, startStream, type ApiReply, type ApiRequest, type Endpoint, type StreamedBody } from "@/lib/api/endpoint";
import { errorReply } from "@/lib/api/respond";
import { logger } from "@/lib/observability/log";
import { SECURITY_HEADERS } from "./security-headers";

/** Answers a Node.js request with an endpoint: no Web Request or Response objects in between. */
export async function serveEndpoint(endpoint: Endpoint, request: IncomingMessage, response: ServerResponse) {
  let query: URLSearchParams | undefined;
  const apiRequest: ApiRequest = {
    headers: { get: (name) => headerValue(request, name) },
    // Parsed only when asked for: the enforcement routes take no query.
    get query() {
      const url = request.url ?? "";
      const start = url.indexOf("?");
      return (query ??= new URLSearchParams(start < 0 ? "" : url.slice(start + 1)));
    },
    text: (maxBytes) => readBody(request, maxBytes),
  };
  let reply: ApiReply;
  try {
    reply = await endpoint(apiRequest);
  } catch (error) {
    // Endpoints answer their own errors; this is for one that throws.
    reply = errorReply(error);
  }
  if (reply.contentType && isStreamedBody(reply.body)) return streamReply(request, response, reply as ApiReply & { body: StreamedBody });
  sendReply(request, response, reply);
}

/**
 * Writes a streamed reply chunk by chunk (chunked transfer encoding), asking
 * the body for its next chunk only once the socket has taken the last one, so
 * a slow client slows the reads instead of filling memory. A client that
 * leaves stops the body (its reads end). A failure after the status was sent
 * destroys the connection, so the client sees a broken download, never a
 * complete-looking one.
 */
async function streamReply(request: IncomingMessage, response: ServerResponse, reply: ApiReply & { body: StreamedBody }) {
  const started = await startStream(reply);
  if (!started.ok) return sendReply(request, response, started.reply);
  const { first, rest } = started;
  response.writeHead(reply.status, { ...SECURITY_HEADERS, "Content-Type": reply.contentType!, ...reply.headers });
  let gone = false;
  response.once("close", () => (gone = true));
  try {
    if (first !== null && !response.write(first)) await drained(response);
    while (!gone) {
      const next = await rest.next();
      if (next.done) break;
      if (!response.write(next.value)) await drained(response);
    }
    if (gone) await rest.return?.();
    else response.end();
  } catch (error) {
    logger().warn({ err: error }, "streamed reply failed after its status was sent");
    response.destroy(error instanceof Error ? error : new Error(String(error)));
  }
}

/** Resolves once the response can take more, or has closed. */
function drained(response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      response.off("drain", done);
      response.off("close", done);
      resolve();
    };
    response.on("drain", done);
    response.on("close", done);
  });
}

/** How long a client that was refused mid-body may keep its connection before it is cut. */
const UNREAD_BODY_GRACE_MS = 2_000;

/**
 * Writes a JSON reply with the security headers. When the request's body was
 * left unread (refused before or while reading it), the connection is closed
 * after the reply rather than kept alive, and cut if the client keeps it open:
 * reading the rest only to stay alive is what an endless body wants.
 */
export function sendReply(request: IncomingMessage, response: ServerResponse, reply: ApiReply) {
  let payload: string;
  try {
    payload = reply.contentType ? String(reply.body) : JSON.stringify(reply.body);
  } catch (error) {
    reply = errorReply(error);
    payload = JSON.stringify(reply.body);
  }
  const unread = !request.complete;
  response.writeHead(reply.status, {
    ...SECURITY_HEADERS,
    "Content-Type": reply.contentType ?? "application/json",
    "Content-Length": Buffer.byteLength(payload),
    ...(unread ? { Connection: "close" } : {}),
    ...reply.headers,
  });
  response.end(payload);
  if (unread) response.once("finish", () => setTimeout(() => request.socket.destroy(), UNREAD_BODY_GRACE_MS).unref());
}

/** A request header as one string (repeated ones joined), or null. */
export function headerValue(request: IncomingMessage, name: string): string | null {
  const value = request.headers[name.toLowerCase()];
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(", ") : value;
}

/** Reads the body, refusing it as soon as it passes maxBytes (declared or actual) and reading no further. */
function readBody(request: IncomingMessage, maxBytes: number): Promise<string> {
  if (Number(request.headers["content-length"] ?? 0) > maxBytes) return Promise.reject(payloadTooLarge(maxBytes));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) return void chunks.push(chunk);
      request.off("data", onData);
      // Stop reading: the socket's buffers fill and the sender stalls, instead of us reading the rest to discard it.
      request.pause();
      reject(payloadTooLarge(maxBytes));
    };
    request.on("data", onData);
    request.once("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.once("error", reject);
    request.once("close", () => {
      if (!request.complete) reject(new Error("The client closed the connection before the body was read."));
    });
  });
}
