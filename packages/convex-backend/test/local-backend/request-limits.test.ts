/**
 * The local backend bounds what a client can make it hold: an HTTP body
 * over 16 MiB is answered 413 with a message saying so (declared by
 * Content-Length or streamed without one), a sync socket message over the
 * bound closes the socket (1009), and the backend goes on serving.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { ConvexHttpClient } from "convex/browser";
import { qcApi } from "../../src/qc-api.js";
import { MAX_REQUEST_BYTES } from "../../src/local-backend/request-body.js";
import { startLocalBackend, type LocalBackend } from "../../src/local-backend/server.js";

/** A JSON call body of `bytes` bytes: a string argument padded out. */
function callBody(bytes: number): string {
  const frame = JSON.stringify({ path: "ops:head", format: "convex_encoded_json", args: [{ token: "", project: "" }] });
  return frame.replace('"token":""', `"token":"${"x".repeat(bytes - frame.length)}"`);
}

describe("request limits of the local backend", () => {
  let backend: LocalBackend;
  beforeAll(async () => {
    backend = await startLocalBackend();
  });
  afterAll(async () => {
    await backend.stop();
  });

  it("answers an HTTP body over 16 MiB with 413 and a clear message, and keeps serving", async () => {
    const body = callBody(MAX_REQUEST_BYTES + 1);
    expect(Buffer.byteLength(body)).toBe(MAX_REQUEST_BYTES + 1);
    const response = await fetch(`${backend.url}/api/query`, { method: "POST", headers: { "content-type": "application/json" }, body });
    expect(response.status).toBe(413);
    expect(await response.text()).toMatch(/request body over 16777216 bytes .*send less per call/);
    const fits = await fetch(`${backend.url}/api/query`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: callBody(1024),
    });
    expect(fits.status).toBe(560); // the function ran (and refused the token)
  });

  it("answers a streamed body (no Content-Length) with 413 once it passes the bound", async () => {
    const chunk = new TextEncoder().encode("x".repeat(1024 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > MAX_REQUEST_BYTES + 2 * chunk.length) return controller.close();
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const response = await fetch(`${backend.url}/api/mutation`, { method: "POST", body: stream, duplex: "half" } as RequestInit); // Node's fetch needs duplex for a stream body; the DOM lib does not know it
    expect(response.status).toBe(413);
    expect(await response.text()).toMatch(/request body over/);
  });

  it("closes a sync socket that sends a message over the bound (1009)", async () => {
    const ws = new WebSocket(`${backend.url.replace("http", "ws")}/api/1.48.0/sync`);
    await new Promise((resolve) => ws.once("open", resolve));
    const closed = new Promise<number>((resolve) => ws.once("close", (code) => resolve(code)));
    ws.send("x".repeat(MAX_REQUEST_BYTES + 1));
    expect(await closed).toBe(1009);
    const head = await new ConvexHttpClient(backend.url, { logger: false })
      .query(qcApi.ops.head, { token: "t", project: "p" })
      .catch((e: unknown) => e);
    expect((head as { data?: { code?: string } }).data?.code).toBe("token-refused");
  });
});
