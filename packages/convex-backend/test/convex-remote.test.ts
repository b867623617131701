/**
 * ConvexRemote behaviour beyond the conformance suite: a per-call timeout
 * against a backend that accepts connections but never answers, the
 * clock-ahead refusal with its "by how much", and connection states.
 */
import { createServer, type Server } from "node:http";
import type { Duplex } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConvexHttpClient } from "convex/browser";
import { formatHlc } from "@qc/core/op";
import { RemoteError, type ConnectionState } from "@qc/core/sync";
import { makeConvexRemote } from "../src/convex-remote.js";
import { startLocalBackend, type LocalBackend } from "../src/local-backend/server.js";
import { qcApi } from "../src/qc-api.js";
import { makeTestOp } from "@qc/core/testing/pure";

async function failure(attempt: Promise<unknown>): Promise<RemoteError> {
  const error = await attempt.then(
    () => expect.fail("expected a failure"),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RemoteError);
  return error as RemoteError;
}

describe("ConvexRemote against a backend that never answers", () => {
  let server: Server;
  let url: string;
  const upgraded: Duplex[] = [];
  beforeAll(async () => {
    server = createServer(() => undefined);
    server.on("upgrade", (_req, socket: Duplex) => upgraded.push(socket)); // never answer the sync socket either
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    if (address === null || typeof address === "string") throw new Error("no address");
    url = `http://127.0.0.1:${address.port}`;
  });
  afterAll(async () => {
    for (const socket of upgraded) socket.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it("push, pull and identity fail retryably after the per-call timeout", async () => {
    const remote = makeConvexRemote({ url, project: "p", token: "t", timeoutMs: 300 });
    try {
      const op = makeTestOp({ project: "p", actor: "a" }, 0);
      for (const attempt of [remote.push([op]), remote.pull(0, 10), remote.identity()]) {
        expect(await failure(attempt)).toMatchObject({ reason: "unreachable", retryable: true });
      }
    } finally {
      await remote.close(); // must not wait for the handshake that never finishes
    }
  });
});

describe("ConvexRemote on the local protocol backend", () => {
  let backend: LocalBackend;
  let token: string;
  beforeAll(async () => {
    backend = await startLocalBackend();
    const http = new ConvexHttpClient(backend.url, { logger: false });
    ({ token } = await http.mutation(qcApi.projects.create, { project: "cr", name: "CR", actor: "ann" }));
  });
  afterAll(async () => {
    await backend.stop();
  });

  it("an op from a clock an hour ahead is refused as clock-ahead, saying by how much", async () => {
    const remote = makeConvexRemote({ url: backend.url, project: "cr", token });
    try {
      const replica = "00000000000000c1";
      const hlc = formatHlc({ wallMs: Date.now() + 3_600_000, counter: 0, replica });
      const op = { ...makeTestOp({ project: "cr", actor: "ann", replica }, 0), id: hlc, hlc };
      const error = await failure(remote.push([op]));
      expect(error).toMatchObject({ reason: "clock-ahead", retryable: false });
      expect(error.message).toMatch(/ahead of the server clock/);
    } finally {
      await remote.close();
    }
  });

  it("connection state goes from connecting to connected", async () => {
    const remote = makeConvexRemote({ url: backend.url, project: "cr", token });
    const states: ConnectionState[] = [];
    const stop = remote.subscribeConnection((state) => states.push(state));
    await expect.poll(() => states.at(-1), { timeout: 20_000 }).toBe("connected");
    expect(states[0]).toBe("connecting");
    stop();
    await remote.close();
    await expect(remote.pull(0, 1)).rejects.toBeInstanceOf(RemoteError);
  });
});
