/**
 * A snapshot file carries a backend's data into a new backend (another
 * process in real use): tokens still work, ops and heads are the same, and
 * commit timestamps keep increasing.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConvexHttpClient } from "convex/browser";
import { startLocalBackend, type LocalBackend } from "../../src/local-backend/server.js";
import { loadSnapshot, saveSnapshot } from "../../src/local-backend/snapshot.js";
import { qcApi } from "../../src/qc-api.js";
import { makeTestOps } from "@qc/core/testing/pure";

describe("local backend snapshots", () => {
  const dir = mkdtempSync(join(tmpdir(), "qc-snapshot-"));
  const backends: LocalBackend[] = [];
  afterAll(async () => {
    await Promise.all(backends.map((b) => b.stop()));
    rmSync(dir, { recursive: true, force: true });
  });

  it("a new backend loaded from a snapshot has the same data and a later clock", async () => {
    const file = join(dir, "data.json");
    const first = await startLocalBackend();
    backends.push(first);
    const http = new ConvexHttpClient(first.url, { logger: false });
    const { token } = await http.mutation(qcApi.projects.create, { project: "snap", name: "S", actor: "ann" });
    const ops = makeTestOps({ project: "snap", actor: "ann" }, 7);
    await http.mutation(qcApi.ops.push, { token, project: "snap", ops });
    await first.state.queue.run(() => saveSnapshot(first.state, file));

    const second = await startLocalBackend();
    backends.push(second);
    expect(await second.state.queue.run(() => loadSnapshot(second.state, file))).toBe(true);
    expect(second.state.now()).toBe(first.state.now());
    const reopened = new ConvexHttpClient(second.url, { logger: false });
    const page = await reopened.query(qcApi.ops.pull, { token, project: "snap", after: 0, limit: 100 });
    expect(page.head).toBe(7);
    expect(page.ops.map((entry) => entry.op)).toEqual(ops);
  });

  it("a missing file loads nothing", async () => {
    const backend = await startLocalBackend();
    backends.push(backend);
    expect(await loadSnapshot(backend.state, join(dir, "absent.json"))).toBe(false);
  });
});
