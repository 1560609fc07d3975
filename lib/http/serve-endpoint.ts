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
  let payload: string;
  try {
    reply = await endpoint(apiRequest);
    payload = JSON.stringify(reply.body);
  } catch (error) {
    // Endpoints answer their own errors; this is for one that throws, or a body that cannot be JSON.
    reply = errorReply(error);
    payload = JSON.stringify(reply.body);
  }
  response.writeHead(reply.status, {
    ...SECURITY_HEADERS,
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(payload),
    // An oversized body was left unread: end the connection rather than read it to keep it alive.
    ...(reply.status === 413 ? { Connection: "close" } : {}),
    ...reply.headers,
  });
  response.end(payload);
}

function headerValue(request: IncomingMessage, name: string): string | null {
  const value = request.headers[name.toLowerCase()];
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(", ") : value;
}

/** Reads the body, refusing it as soon as it passes maxBytes (declared or actual). */
function readBody(request: IncomingMessage, maxBytes: number): Promise<string> {
  if (Number(request.headers["content-length"] ?? 0) > maxBytes) return Promise.reject(payloadTooLarge(maxBytes));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) return void chunks.push(chunk);
      request.off("data", onData);
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
