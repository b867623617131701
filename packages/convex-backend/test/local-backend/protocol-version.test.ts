/**
 * The sync protocol version over the local backend with the real Convex
 * clients: ConvexRemote sends this build's version on every call; a client
 * older than every version the deployment serves gets a permanent "update
 * qc" refusal, over HTTP and over the sync socket, instead of an
 * argument-validation error; and against a deployment from before version 2
 * (fixtures/deployment-v1) the sync engine stops with a status saying to
 * update the deployment.
 */
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConvexClient, ConvexHttpClient } from "convex/browser";
import type { JSONValue } from "convex/values";
import { createReplica } from "@qc/core";
import { PROTOCOL_VERSION } from "@qc/core/op";
import { startSyncEngine } from "@qc/core/sync";
import { makeConvexRemote } from "../../src/convex-remote.js";
import { makeBackendState } from "../../src/local-backend/backend-state.js";
import { startLocalBackend, type LocalBackend } from "../../src/local-backend/server.js";
import { qcApi } from "../../src/qc-api.js";
import { toRemoteError } from "../../src/remote-errors.js";
import { makeTempDir } from "@qc/core/testing";
import { makeTestOps } from "@qc/core/testing/pure";

/** Older than any version a deployment serves (versions start at 1). */
const OLD = 0;

describe("the sync protocol version on the local backend", () => {
  let backend: LocalBackend;
  const calls: { udfPath: string; args: ReadonlyArray<JSONValue> }[] = [];
  let owner: { project: string; token: string };
  beforeAll(async () => {
    const state = await makeBackendState();
    const recording = {
      ...state,
      run: (...call: Parameters<typeof state.run>) => (calls.push({ udfPath: call[1], args: call[2] }), state.run(...call)),
    };
    backend = await startLocalBackend({ state: recording });
    const http = new ConvexHttpClient(backend.url, { logger: false });
    owner = {
      project: "protocol-1",
      token: (await http.mutation(qcApi.projects.create, { project: "protocol-1", name: "P", actor: "ann" })).token,
    };
  });
  afterAll(async () => {
    await backend.stop();
  });

  it("ConvexRemote sends PROTOCOL_VERSION on push, pull, identity and the head subscription", async () => {
    const remote = makeConvexRemote({ url: backend.url, ...owner, timeoutMs: 10_000 });
    try {
      calls.length = 0;
      await remote.identity();
      await remote.push(makeTestOps({ project: owner.project, actor: "ann" }, 1));
      await remote.pull(0, 10);
      const heads: number[] = [];
      const stop = remote.subscribeHead(
        (head) => heads.push(head),
        (error) => expect.fail(String(error)),
      );
      await expect.poll(() => heads.length, { timeout: 10_000 }).toBeGreaterThan(0);
      stop();
      const paths = calls.map((call) => call.udfPath.replace(/\.js/, ""));
      for (const path of ["ops:head", "ops:push", "ops:pull"]) expect(paths).toContain(path);
      for (const call of calls) expect(call.args[0]).toMatchObject({ protocol: PROTOCOL_VERSION });
    } finally {
      await remote.close();
    }
  });

  it("an old client's push is refused over HTTP as a permanent protocol-unsupported saying to update qc", async () => {
    const http = new ConvexHttpClient(backend.url, { logger: false });
    const ops = makeTestOps({ project: owner.project, actor: "ann", from: 1 }, 1);
    const error = await http.mutation(qcApi.ops.push, { ...owner, protocol: OLD, ops }).catch((e: unknown) => e);
    expect(toRemoteError(error, "ops:push")).toMatchObject({
      reason: "protocol-unsupported",
      retryable: false,
      message: expect.stringMatching(/^ops:push: This qc speaks sync protocol version 0 .*update qc on this computer/),
    });
  });

  it("an old client's head subscription fails the same way over the sync socket", async () => {
    const socket = new ConvexClient(backend.url, { logger: false });
    try {
      const failed = await new Promise<unknown>((resolve) => {
        socket.onUpdate(qcApi.ops.head, { ...owner, protocol: OLD }, () => resolve("no refusal"), resolve);
      });
      expect(toRemoteError(failed, "ops:head subscription")).toMatchObject({
        reason: "protocol-unsupported",
        retryable: false,
        message: expect.stringMatching(/update qc/),
      });
    } finally {
      await socket.close();
    }
  });
});

describe("ConvexRemote against a deployment from before protocol version 2", () => {
  let backend: LocalBackend;
  const dir = makeTempDir("qc-protocol-");
  beforeAll(async () => {
    backend = await startLocalBackend({ convexDir: fileURLToPath(new URL("../fixtures/deployment-v1", import.meta.url)) });
  });
  afterAll(async () => {
    await backend.stop();
    dir.remove();
  });

  it("the deployment's argument validation of `protocol` becomes a permanent protocol-unsupported: deploy the current functions", async () => {
    const remote = makeConvexRemote({ url: backend.url, project: "p", token: "t", timeoutMs: 10_000 });
    try {
      const error = await remote.identity().catch((e: unknown) => e);
      expect(error).toMatchObject({
        reason: "protocol-unsupported",
        retryable: false,
        message: expect.stringMatching(/predates sync protocol version 2 .*npx convex deploy/),
      });
    } finally {
      await remote.close();
    }
  });

  it("the sync engine stops with an error status that says so", async () => {
    const replica = createReplica(dir.path("ann.sqlite"), { actor: "ann", projectName: "P" });
    const engine = startSyncEngine({
      replica: replica.sync,
      project: replica.project,
      remote: () => makeConvexRemote({ url: backend.url, project: replica.project, token: "t", timeoutMs: 10_000 }),
    });
    try {
      await expect.poll(() => engine.status().state, { timeout: 30_000 }).toBe("error");
      expect(engine.status()).toMatchObject({
        reason: "protocol-unsupported",
        message: expect.stringMatching(/^this qc and the sync server speak different protocol versions .*predates sync protocol version 2/),
      });
    } finally {
      await engine.stop();
      replica.close();
    }
  });
});
