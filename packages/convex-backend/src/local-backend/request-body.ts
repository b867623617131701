/**
 * Request bodies of the local backend are bounded: an HTTP body or a sync
 * socket message over MAX_REQUEST_BYTES is refused (HTTP 413, WebSocket
 * close 1009) without being buffered, so one client cannot make the demo's
 * backend hold an unbounded body in memory. The bound is Convex's own limit
 * on function arguments; qc's largest call (a 4 MiB push) fits well within.
 */
import type { IncomingMessage } from "node:http";

/** 16 MiB. */
export const MAX_REQUEST_BYTES = 16 * 1024 * 1024;

/**
 * The whole body, or "too-large" as soon as it (or its declared length)
 * passes `maxBytes`. The stream is never destroyed here (the caller still
 * answers on it): past the bound, chunks are dropped as they arrive.
 */
export function readBoundedBody(req: IncomingMessage, maxBytes: number = MAX_REQUEST_BYTES): Promise<Buffer | "too-large"> {
  if (Number(req.headers["content-length"] ?? 0) > maxBytes) return Promise.resolve("too-large");
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) return void chunks.push(chunk);
      req.off("data", onData).off("end", onEnd).resume();
      chunks.length = 0;
      resolve("too-large");
    };
    const onEnd = () => resolve(Buffer.concat(chunks));
    req.on("data", onData).on("end", onEnd).once("error", reject);
  });
}

export function tooLargeMessage(maxBytes: number = MAX_REQUEST_BYTES): string {
  return `request body over ${maxBytes} bytes (Convex's limit on function arguments): send less per call`;
}
