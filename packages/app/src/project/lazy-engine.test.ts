import type { SyncStatus } from "@qc/core";
import { makeTempDir, openOrCreateReplica, waitFor, type TempDir } from "@qc/core/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { lazyConvexEngine } from "./lazy-engine.js";

let dir: TempDir;
beforeEach(() => {
  dir = makeTempDir("qc-lazy-engine-");
});
afterEach(() => dir.remove());

function startUnconfigured() {
  const replica = openOrCreateReplica(dir.path("lazy.qc"), { actor: "Ana" });
  const engine = lazyConvexEngine({ replica: replica.sync, project: replica.project, token: () => "" });
  return { replica, engine };
}

describe("the sync engine loaded on first use", () => {
  it("is connecting until the module is in, then reports the engine's own states to early and late listeners", async () => {
    const { replica, engine } = startUnconfigured();
    expect(engine.status()).toEqual({ state: "connecting" });
    const early: Array<SyncStatus> = [];
    const unsubscribe = engine.subscribe((s) => early.push(s));
    expect(early).toEqual([{ state: "connecting" }]);
    // No URL is set: once loaded, the real engine says so.
    await waitFor("the loaded engine's status", () => engine.status().state === "error");
    await waitFor("the early listener to hear it", () => early.at(-1)?.state === "error");
    const late: Array<SyncStatus> = [];
    const unsubscribeLate = engine.subscribe((s) => late.push(s));
    await waitFor("the late listener to hear the status now", () => late.length > 0);
    unsubscribeLate();
    expect(late[0]).toMatchObject({ state: "error", reason: "not-configured" });
    unsubscribe();
    await engine.disable();
    expect(engine.status()).toEqual({ state: "disabled" });
    await engine.stop();
    replica.close();
  });

  it("a listener gone before the engine loads hears nothing more, and stop waits for the load", async () => {
    const { replica, engine } = startUnconfigured();
    const heard: Array<SyncStatus> = [];
    engine.subscribe((s) => heard.push(s))();
    await engine.stop();
    expect(heard).toEqual([{ state: "connecting" }]);
    replica.close();
  });

  it("an engine started disabled says so from the start, once, not 'connecting' (a listener sees no state it never had, and no change that was none)", async () => {
    const replica = openOrCreateReplica(dir.path("off.qc"), { actor: "Ana" });
    const engine = lazyConvexEngine({ replica: replica.sync, project: replica.project, token: () => "", enabled: false });
    const heard: Array<SyncStatus> = [];
    const unsubscribe = engine.subscribe((s) => heard.push(s));
    // enable waits for the module: the loaded engine's own "disabled" has been replayed by then.
    await engine.enable();
    await waitFor("the enabled engine to report", () => heard.length > 1);
    expect(heard[0]).toEqual({ state: "disabled" });
    expect(heard.slice(1).map((s) => s.state)).not.toContain("disabled");
    unsubscribe();
    await engine.stop();
    replica.close();
  });
});
