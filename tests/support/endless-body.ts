/**
 * A request body that never ends: it yields `chunkBytes` at a time for as
 * long as it is read, and counts what was read, so a test can prove that a
 * handler stopped reading at its limit.
 */
export function endlessBody(chunkBytes = 64 * 1024) {
  const chunk = new Uint8Array(chunkBytes).fill(0x20);
  const counter = { bytesRead: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      counter.bytesRead += chunk.byteLength;
      controller.enqueue(chunk);
    },
    cancel() {
      counter.cancelled = true;
    },
  }, { highWaterMark: 0 });
  return { stream, counter };
}

/** A streamed POST, as a client sending a chunked body would make it. */
export function streamedRequest(url: string, body: ReadableStream<Uint8Array>, headers: Record<string, string> = {}) {
  return new Request(url, { method: "POST", headers, body, duplex: "half" } as RequestInit & { duplex: "half" });
}
