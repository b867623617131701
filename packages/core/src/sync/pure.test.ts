/** The engine's pure parts: status derivation, gapless runs, the stream check, error texts. */
import { describe, expect, it } from "vitest";
import { fromRemoteFailure, syncError, SyncError } from "./errors.js";
import { gaplessRun } from "./inbound.js";
import { isPushRefusal } from "./outbound.js";
import { RemoteError } from "./remote-op-store.js";
import { deriveStatus, initialFacts, type SyncStatus } from "./status.js";
import { checkStream } from "./stream-check.js";

const at = new Date(0);
const now = () => at;
const none: SyncStatus = { state: "disabled" };

describe("deriveStatus", () => {
  const facts = () => ({ ...initialFacts(true, true), identified: true, connection: "connected" as const });

  it("gives every state from the facts", () => {
    expect(deriveStatus(initialFacts(false, true), { toPush: 3, cursor: 0 }, none, now)).toEqual({ state: "disabled" });
    expect(deriveStatus({ ...facts(), identified: false }, { toPush: 0, cursor: 0 }, none, now)).toEqual({ state: "connecting" });
    expect(deriveStatus({ ...facts(), connection: "disconnected" }, { toPush: 0, cursor: 0 }, none, now).state).toBe("offline");
    expect(deriveStatus({ ...facts(), transient: syncError("unreachable") }, { toPush: 0, cursor: 0 }, none, now).state).toBe("offline");
    // A write conflict being retried is still syncing, not offline.
    expect(deriveStatus({ ...facts(), transient: syncError("write-conflict"), knownHead: 5 }, { toPush: 1, cursor: 2 }, none, now)).toEqual({
      state: "syncing",
      toPush: 1,
      toPull: 3,
    });
    expect(deriveStatus({ ...facts(), caughtUp: true, knownHead: 2 }, { toPush: 0, cursor: 2 }, none, now)).toEqual({ state: "synced", at });
    expect(deriveStatus({ ...facts(), fatal: syncError("token-refused") }, { toPush: 0, cursor: 0 }, none, now)).toMatchObject({
      state: "error",
      reason: "token-refused",
    });
  });

  it("shows a push refusal as the error (pulls go on), and a fatal error before it", () => {
    const refused = { ...facts(), pushRefused: syncError("forbidden"), caughtUp: true, knownHead: 4 };
    expect(deriveStatus(refused, { toPush: 1, cursor: 4 }, none, now)).toMatchObject({ state: "error", reason: "forbidden" });
    expect(deriveStatus({ ...refused, fatal: syncError("token-refused") }, { toPush: 1, cursor: 4 }, none, now)).toMatchObject({
      state: "error",
      reason: "token-refused",
    });
  });

  it("keeps the time a synced status began", () => {
    const since: SyncStatus = { state: "synced", at: new Date(42) };
    expect(deriveStatus({ ...facts(), caughtUp: true }, { toPush: 0, cursor: 0 }, since, now)).toBe(since);
  });
});

describe("gaplessRun", () => {
  const ops = (...seqs: Array<number>) => seqs.map((seq) => ({ seq, op: {} }));
  it("stops at the first gap and skips ops at or below the cursor", () => {
    expect(gaplessRun(ops(5, 6, 8, 9), 4)).toEqual({ run: ops(5, 6), gap: true });
    expect(gaplessRun(ops(3, 4, 5, 6), 4)).toEqual({ run: ops(5, 6), gap: false });
    expect(gaplessRun(ops(6, 7), 4)).toEqual({ run: [], gap: true });
    expect(gaplessRun([], 4)).toEqual({ run: [], gap: false });
  });
});

describe("checkStream", () => {
  const remote = { deployment: "https://a.example", project: "p", stream: "s1" };
  it("accepts the replica's own stream and keeps the stored identity", () => {
    const stored = { ...remote, deployment: "https://A.example/" };
    expect(checkStream({ project: "p", configuredProject: undefined, remote, cursor: undefined })).toEqual(remote);
    expect(checkStream({ project: "p", configuredProject: "p", remote, cursor: { identity: stored, seq: 3 } })).toEqual(stored);
  });

  it("refuses another project or another stream, saying what was expected and how to fix it", () => {
    const other = checkStream({ project: "q", configuredProject: undefined, remote, cursor: undefined });
    expect(other).toBeInstanceOf(SyncError);
    expect((other as SyncError).message).toMatch(/serves project p, but this replica holds project q; configure the server URL of project q/);
    const moved = checkStream({
      project: "p",
      configuredProject: undefined,
      remote: { ...remote, stream: "s2" },
      cursor: { identity: remote, seq: 9 },
    });
    expect(moved).toMatchObject({ reason: "wrong-stream" });
    expect((moved as SyncError).message).toMatch(/follows stream s1 .* holds stream s2 .* switchStream\(\)/);
    expect(checkStream({ project: "p", configuredProject: "x", remote, cursor: undefined })).toMatchObject({ reason: "wrong-stream" });
  });
});

describe("error texts", () => {
  it("classify remote failures and keep the remote's own retryability", () => {
    expect(fromRemoteFailure(new Error("ECONNRESET"))).toMatchObject({ reason: "unreachable", retryable: true });
    expect(fromRemoteFailure(new RemoteError("invalid-op", "bad body", false))).toMatchObject({
      reason: "invalid-op",
      retryable: false,
      message: expect.stringContaining("(server: bad body)"),
    });
    expect(fromRemoteFailure(new RemoteError("unreachable", "deployment deleted", false)).retryable).toBe(false);
  });

  it("a replica id of another member is a permanent push refusal that says the file was copied and what to do", () => {
    const error = fromRemoteFailure(new RemoteError("replica-claimed", "ops:push: replica id 7f3a… belongs to another member", false));
    expect(error).toMatchObject({ reason: "replica-claimed", retryable: false });
    expect(error.message).toMatch(/copied from their computer; open the project afresh on this computer with your own invite/);
    expect(isPushRefusal(error)).toBe(true);
  });

  it("a protocol version the server does not serve stops the session and says to update qc", () => {
    const error = fromRemoteFailure(new RemoteError("protocol-unsupported", "ops:head: version 0 ... update qc on this computer", false));
    expect(error).toMatchObject({ reason: "protocol-unsupported", retryable: false });
    expect(error.message).toMatch(/^this qc and the sync server speak different protocol versions — update qc on this computer.*\(server: ops:head: version 0/);
    expect(isPushRefusal(error)).toBe(false);
  });

  it("say how far ahead the clock is when the server tells its time, and what to do otherwise", () => {
    const serverTime = Date.parse("2026-11-25T12:00:00.000Z");
    const ops = [{ hlc: "2026-11-25T12:12:00.000Z-0000-1111111111111111" }];
    const withTime = new RemoteError("clock-ahead", "ahead", false, { cause: { serverTime } });
    expect(fromRemoteFailure(withTime, ops).message).toBe(
      "this computer's clock is 12 minutes ahead of the server; fix the system clock, then sync again",
    );
    expect(fromRemoteFailure(new RemoteError("clock-ahead", "ahead", false), ops).message).toMatch(/clock is ahead .* fix the system clock/);
  });
});
