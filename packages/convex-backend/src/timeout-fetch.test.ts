import { createServer, type Server } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { RemoteError } from "@qc/core/sync";
import { makeTimeoutFetch } from "./timeout-fetch.js";

let server: Server | undefined;

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no address");
  return `http://127.0.0.1:${address.port}`;
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

async function failure(attempt: Promise<unknown>): Promise<RemoteError> {
  const error = await attempt.then(
    () => expect.fail("expected a failure"),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RemoteError);
  return error as RemoteError;
}

describe("makeTimeoutFetch", () => {
  it("a server that never answers fails retryably after the timeout", async () => {
    const url = await serve(() => undefined);
    const started = Date.now();
    const error = await failure(makeTimeoutFetch(200)(url));
    expect(error).toMatchObject({ reason: "unreachable", retryable: true });
    expect(error.message).toContain("no answer within 200 ms");
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("a refused connection is retryable unreachable", async () => {
    const url = await serve(() => undefined);
    server?.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await failure(makeTimeoutFetch(2_000)(url))).toMatchObject({ reason: "unreachable", retryable: true });
  });

  it("HTTP 503 is retryable, HTTP 400 is not", async () => {
    let status = 503;
    const url = await serve((_req, res) => res.writeHead(status).end("nope"));
    expect(await failure(makeTimeoutFetch(2_000)(url))).toMatchObject({ reason: "unreachable", retryable: true });
    status = 400;
    expect(await failure(makeTimeoutFetch(2_000)(url))).toMatchObject({ reason: "invalid-op", retryable: false });
  });

  it("200 and Convex's 560 (function failed) pass through with their body", async () => {
    let status = 560;
    const url = await serve((_req, res) => res.writeHead(status).end('{"status":"error"}'));
    const failed = await makeTimeoutFetch(2_000)(url);
    expect(failed.status).toBe(560);
    expect(await failed.json()).toEqual({ status: "error" });
    status = 200;
    expect((await makeTimeoutFetch(2_000)(url)).status).toBe(200);
  });
});
