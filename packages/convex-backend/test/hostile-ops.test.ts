/**
 * Hostile ops pushed with the real client (ConvexRemote over the local
 * Convex-protocol backend, running the real convex/ functions; issue 7,
 * items 1, 3, 12): each is refused as `invalid-op`, not retryable, so the
 * pushing replica's outbox is not retried forever, and nothing of the batch
 * is stored; a good batch afterwards goes through.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConvexHttpClient } from "convex/browser";
import { RemoteError } from "@qc/core/sync";
import { makeConvexRemote } from "../src/convex-remote.js";
import { startLocalBackend, type LocalBackend } from "../src/local-backend/server.js";
import { qcApi } from "../src/qc-api.js";
import { makeTestOp } from "../src/testing/test-ops.js";

describe("ConvexRemote pushing hostile ops to the local protocol backend", () => {
  let backend: LocalBackend;
  let token: string;
  beforeAll(async () => {
    backend = await startLocalBackend();
    const http = new ConvexHttpClient(backend.url, { logger: false });
    ({ token } = await http.mutation(qcApi.projects.create, { project: "hx", name: "HX", actor: "ann" }));
  });
  afterAll(async () => {
    await backend.stop();
  });

  it("refuses a garbage text update, an over-long id, 101 prev ids and a bidi actor as invalid-op (not retryable); a good push still works", async () => {
    const remote = makeConvexRemote({ url: backend.url, project: "hx", token });
    try {
      const spec = { project: "hx", actor: "ann" };
      const good = makeTestOp(spec, 0);
      const hostile: Array<[unknown, RegExp]> = [
        [{ ...makeTestOp(spec, 1), kind: "text", body: { field: "memo", update: "AQID" } }, /body.update: not a Yjs text update/],
        [{ ...makeTestOp(spec, 2), target: { type: "code", id: "x".repeat(300) } }, /target.id: expected at most 256 characters/],
        [{ ...makeTestOp(spec, 3), prev: new Array<string>(101).fill("p") }, /prev: expected at most 100 op ids/],
        [{ ...makeTestOp(spec, 4), actor: "ann\u202E" }, /actor: the actor name contains a bidi control/],
      ];
      for (const [op, message] of hostile) {
        const error = await remote.push([good, op as typeof good]).then(
          () => expect.fail("expected a refusal"),
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(RemoteError);
        expect(error).toMatchObject({ reason: "invalid-op", retryable: false });
        expect((error as RemoteError).message).toMatch(message);
      }
      expect((await remote.pull(0, 10)).ops).toHaveLength(0);
      expect((await remote.push([good])).acked).toEqual([good.id]);
    } finally {
      await remote.close();
    }
  });
});
