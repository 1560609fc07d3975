import type { IncomingMessage, ServerResponse } from "node:http";
import { payloadTooLarge, type ApiReply, type ApiRequest, type Endpoint } from "@/lib/api/endpoint";
import { errorReply } from "@/lib/api/respond";
import { SECURITY_HEADERS } from "./security-headers";

/** Answers a Node.js request with an endpoint: no Web Request or Response objects in between. */
export async function serveEndpoint(endpoint: Endpoint, request: IncomingMessage, response: ServerResponse) {
  const apiRequest: ApiRequest = {
    headers: { get: (name) => headerValue(request, name) },
    text: (maxBytes) => readBody(request, maxBytes),
  };
  let reply: ApiReply;
  try {
    reply = await endpoint(apiRequest);
  } catch (error) {
    // Endpoints answer their own errors; this is for one that throws.
    reply = errorReply(error);
  }
  sendReply(request, response, reply);
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
