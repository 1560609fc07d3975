import http from "node:http";
import type { AddressInfo } from "node:net";

/** A customer's webhook endpoint on loopback: records every post and answers the statuses it is told to. */

export interface ReceivedPost {
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface WebhookReceiver {
  url: string;
  posts: ReceivedPost[];
  close(): Promise<void>;
}

/** `answer` gives the status for the n-th post (0-based); the default is always 200. */
export async function startWebhookReceiver(answer: (n: number) => number = () => 200): Promise<WebhookReceiver> {
  const posts: ReceivedPost[] = [];
  const server = http.createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      const status = answer(posts.length);
      posts.push({ headers: request.headers, body });
      response.writeHead(status, { "content-type": "text/plain" });
      response.end(status < 300 ? "ok" : "not now");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hooks/ledgerline`, posts, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
