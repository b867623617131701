/** The engine's pure parts: fact transitions, status derivation, gapless runs, the stream check, error texts. */
import { describe, expect, it } from "vitest";
import { fromRemoteFailure, syncError, SyncError } from "./errors.js";
import { gaplessRun } from "./inbound.js";
import { isPushRefusal } from "./outbound.js";
import { RemoteError } from "./remote-op-store.js";
import { initialFacts, updateFacts, type FactsEvent, type SyncFacts } from "./facts.js";
import { deriveStatus, type SyncStatus } from "./status.js";
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
    expect(deriveStatus({ ...facts(), transient: syncError("write-conflict"), knownHead: 5 }, { toPush: 1, cursor: 2 }, none, now)).toEqual(
      {
        state: "syncing",
        toPush: 1,
        toPull: 3,
      },
    );
    expect(deriveStatus({ ...facts(), caughtUp: true, knownHead: 2 }, { toPush: 0, cursor: 2 }, none, now)).toEqual({
      state: "synced",
      at,
    });
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
    expect((other as SyncError).message).toMatch(
      /serves project p, but this replica holds project q; configure the server URL of project q/,
    );
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
    expect(fromRemoteFailure(new RemoteError({ reason: "invalid-op", message: "bad body", retryable: false }))).toMatchObject({
      reason: "invalid-op",
      retryable: false,
      message: expect.stringContaining("(server: bad body)"),
    });
    expect(fromRemoteFailure(new RemoteError({ reason: "unreachable", message: "deployment deleted", retryable: false })).retryable).toBe(
      false,
    );
  });

  it("a replica id of another member is a permanent push refusal that says the file was copied and what to do", () => {
    const error = fromRemoteFailure(
      new RemoteError({ reason: "replica-claimed", message: "ops:push: replica id 7f3a… belongs to another member", retryable: false }),
    );
    expect(error).toMatchObject({ reason: "replica-claimed", retryable: false });
    expect(error.message).toMatch(/copied from their computer; open the project afresh on this computer with your own invite/);
    expect(isPushRefusal(error)).toBe(true);
  });

  it("a protocol version the server does not serve stops the session and says to update qc", () => {
    const error = fromRemoteFailure(
      new RemoteError({ reason: "protocol-unsupported", message: "ops:head: version 0 ... update qc on this computer", retryable: false }),
    );
    expect(error).toMatchObject({ reason: "protocol-unsupported", retryable: false });
    expect(error.message).toMatch(
      /^this qc and the sync server speak different protocol versions — update qc on this computer.*\(server: ops:head: version 0/,
    );
    expect(isPushRefusal(error)).toBe(false);
  });

  it("say how far ahead the clock is when the server tells its time, and what to do otherwise", () => {
    const serverTime = Date.parse("2026-11-25T12:00:00.000Z");
    const ops = [{ hlc: "2026-11-25T12:12:00.000Z-0000-1111111111111111" }];
    const withTime = new RemoteError({ reason: "clock-ahead", message: "ahead", retryable: false, cause: { serverTime } });
    expect(fromRemoteFailure(withTime, ops).message).toBe(
      "this computer's clock is 12 minutes ahead of the server; fix the system clock, then sync again",
    );
    expect(fromRemoteFailure(new RemoteError({ reason: "clock-ahead", message: "ahead", retryable: false }), ops).message).toMatch(
      /clock is ahead .* fix the system clock/,
    );
  });
});

describe("updateFacts", () => {
  const fold = (events: ReadonlyArray<FactsEvent>, from: SyncFacts = initialFacts(true, true)) => events.reduce(updateFacts, from);
  const status = (facts: SyncFacts, local = { toPush: 0, cursor: 0 }) => deriveStatus(facts, local, none, now);

  it("a session goes connecting → syncing → synced through its events", () => {
    const starting = fold([{ type: "session-starting", configured: true }]);
    expect(status(starting).state).toBe("connecting");
    const identified = fold([{ type: "connection", state: "connected" }, { type: "identified" }, { type: "head-seen", head: 3 }], starting);
    expect(status(identified)).toEqual({ state: "syncing", toPush: 0, toPull: 3 });
    expect(status(updateFacts(identified, { type: "caught-up" }), { toPush: 0, cursor: 3 })).toEqual({ state: "synced", at });
  });

  it("the known head never goes back", () => {
    expect(
      fold([
        { type: "head-seen", head: 7 },
        { type: "head-seen", head: 2 },
      ]).knownHead,
    ).toBe(7);
  });

  it("a transient failure shows until the next successful remote call", () => {
    const up = fold([{ type: "connection", state: "connected" }, { type: "identified" }]);
    const down = updateFacts(up, { type: "remote-failed", error: syncError("unreachable") });
    expect(status(down).state).toBe("offline");
    expect(status(updateFacts(down, { type: "remote-succeeded" }))).toEqual({ state: "syncing", toPush: 0, toPull: 0 });
  });

  it("a new session forgets the push refusal, connection and catch-up, but not a fatal error", () => {
    const before = fold([
      { type: "connection", state: "connected" },
      { type: "identified" },
      { type: "caught-up" },
      { type: "push-refused", error: syncError("forbidden") },
      { type: "failed", error: syncError("token-refused") },
      { type: "head-seen", head: 4 },
    ]);
    const after = updateFacts(before, { type: "session-starting", configured: true });
    expect(after).toMatchObject({ identified: false, caughtUp: false, connection: undefined, pushRefused: undefined, knownHead: 4 });
    expect(after.fatal?.reason).toBe("token-refused");
  });

  it("enable, configure and switchStream clear a fatal error; disable shows disabled whatever else is known", () => {
    const failed = fold([{ type: "failed", error: syncError("not-configured") }]);
    expect(status(failed)).toMatchObject({ state: "error", reason: "not-configured" });
    expect(updateFacts(failed, { type: "enabled" }).fatal).toBeUndefined();
    expect(updateFacts(failed, { type: "fatal-cleared" }).fatal).toBeUndefined();
    expect(status(updateFacts(failed, { type: "disabled" }))).toEqual({ state: "disabled" });
  });

  it("an event that changes nothing gives back the same facts (no status recompute needed)", () => {
    const facts = fold([{ type: "head-seen", head: 5 }, { type: "identified" }]);
    for (const event of [
      { type: "head-seen", head: 5 },
      { type: "identified" },
      { type: "remote-succeeded" },
      { type: "fatal-cleared" },
    ] as const) {
      expect(updateFacts(facts, event)).toBe(facts);
    }
  });
});
