import { createReadStream } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";

/** Scalar's standalone renderer (about 5 MB), streamed from node_modules rather than held in memory. */
const BUNDLE = join(process.cwd(), "node_modules/@scalar/api-reference/dist/browser/standalone.js");

export function GET() {
  const body = Readable.toWeb(createReadStream(BUNDLE)) as ReadableStream<Uint8Array>;
  return new Response(body, {
    headers: { "content-type": "text/javascript; charset=utf-8", "cache-control": "public, max-age=86400" },
  });
}
