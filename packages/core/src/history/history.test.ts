import { afterEach, describe, expect, it } from "vitest";
import { createReplica, type Replica } from "../replica.js";
import { RECEIVED_LATE_AFTER_MS } from "./op-times.js";

const T = Date.UTC(2026, 10, 25, 9, 0, 0);
const open: Array<Replica> = [];
afterEach(() => {
  for (const r of open.splice(0)) r.close();
});

function pair(): { alice: Replica; bob: Replica; now: { ms: number } } {
  const now = { ms: T };
  const alice = createReplica(":memory:", { actor: "alice", clock: () => now.ms });
  const bob = createReplica(":memory:", { actor: "bob", project: alice.project, clock: () => now.ms });
  open.push(alice, bob);
  return { alice, bob, now };
}

describe("history", () => {
  it("lists the ops of one entity, one actor and a time range, oldest first", () => {
    const { alice, bob, now } = pair();
    const code = alice.commands.createCode({ name: "Hope", color: "#00aa00" });
    bob.sync.ingest(alice.sync.opsAfter());
    now.ms += 60_000;
    bob.commands.rename("code", code, "Hopefulness");
    now.ms += 60_000;
    alice.sync.ingest(bob.sync.opsAfter());
    alice.commands.recolour("code", code, "#0000aa");

    const trail = alice.read.history.ofEntity("code", code);
    expect(trail.map(({ op }) => [op.kind, op.actor])).toEqual([
      ["create", "alice"],
      ["set", "bob"],
      ["set", "alice"],
    ]);
    expect(alice.read.history.byActor("bob").map(({ op }) => op.kind)).toEqual(["set"]);
    const minute = alice.read.history.between(new Date(T + 60_000), new Date(T + 60_000));
    expect(minute.map(({ op }) => op.actor)).toEqual(["bob"]);
    expect(alice.read.history.between(undefined, new Date(T)).map(({ op }) => op.kind)).toEqual(["create", "create"]);
    expect(() => alice.read.history.between("soon", undefined)).toThrow(/point in time/);
  });

  it("blame names the op, actor and HLC behind each field's current value", () => {
    const { alice, bob, now } = pair();
    const code = alice.commands.createCode({ name: "Hope", color: "#00aa00" });
    bob.sync.ingest(alice.sync.opsAfter());
    now.ms += 1000;
    bob.commands.rename("code", code, "Hopefulness");
    bob.commands.editMemo("code", code, { insert: "Bob's note", at: 0 });
    alice.commands.editMemo("code", code, { insert: "Alice's note", at: 0 });
    alice.sync.ingest(bob.sync.opsAfter());
    const blame = alice.read.history.blame("code", code);
    const renameOp = bob.sync.opsAfter().find((o) => o.kind === "set")!;
    expect(blame["name"]).toEqual([
      {
        opId: renameOp.id,
        actor: "bob",
        hlc: renameOp.hlc,
        kind: "set",
        authoredAt: new Date(T + 1000).toISOString(),
        receivedLate: false,
      },
    ]);
    expect(blame["color"]?.[0]?.actor).toBe("alice");
    expect(blame["memo"]?.map((b) => b.actor).sort()).toEqual(["alice", "bob"]);
    expect(blame["lifecycle"]?.[0]?.kind).toBe("create");
  });

  it("blame of a parent skips a move that was not applied because it closed a cycle", () => {
    const { alice, bob, now } = pair();
    const a = alice.commands.createCategory({ name: "A", color: "#aa0000" });
    const b = alice.commands.createCategory({ name: "B", color: "#aa0000" });
    bob.sync.ingest(alice.sync.opsAfter());
    now.ms += 1000;
    alice.commands.move("category", a, b);
    now.ms += 1000;
    bob.commands.move("category", b, a); // later HLC: closes the cycle, skipped
    alice.sync.ingest(bob.sync.opsAfter());
    const createB = alice.sync.opsAfter().find((o) => o.kind === "create" && o.target.id === b)!;
    expect(alice.read.conflicts().map((c) => c.kind)).toContain("cycle-skipped");
    expect(alice.read.history.blame("category", b)["parent"]?.[0]?.opId).toBe(createB.id);
    expect(alice.read.history.blame("category", a)["parent"]?.[0]?.actor).toBe("alice");
  });

  it("each entry says when it was written and when the server received it, and flags an op that reached it over a day late", () => {
    const { alice, bob, now } = pair();
    const code = alice.commands.createCode({ name: "Hope", color: "#00aa00" });
    now.ms += 60_000;
    alice.commands.rename("code", code, "Hopefulness");
    const [create, rename] = alice.sync.opsAfter().filter((op) => op.target.id === code);
    expect(alice.read.history.ofEntity("code", code).map(({ op, ...times }) => [op.kind, times])).toEqual([
      ["create", { authoredAt: new Date(T).toISOString(), receivedLate: false }],
      ["set", { authoredAt: new Date(T + 60_000).toISOString(), receivedLate: false }],
    ]);
    const identity = { deployment: "memory:test", project: alice.project, stream: "s1" };
    const lateBy = RECEIVED_LATE_AFTER_MS + 1;
    // The create reached the server just over a day after it was written, the rename exactly a day after.
    const receipts = [
      { id: create!.id, receivedAt: T + lateBy },
      { id: rename!.id, receivedAt: T + 60_000 + RECEIVED_LATE_AFTER_MS },
    ];
    bob.sync.ingestPage([create, rename], { identity, seq: 2 }, receipts);
    // A later page naming the same op again does not move its receive time.
    bob.sync.ingestPage([create], { identity, seq: 2 }, [{ id: create!.id, receivedAt: T }]);
    const entries = bob.read.history.ofEntity("code", code);
    expect(entries.map(({ receivedAt, receivedLate }) => ({ receivedAt, receivedLate }))).toEqual([
      { receivedAt: new Date(T + lateBy).toISOString(), receivedLate: true },
      { receivedAt: new Date(T + 60_000 + RECEIVED_LATE_AFTER_MS).toISOString(), receivedLate: false },
    ]);
    expect(bob.read.history.blame("code", code)["lifecycle"]?.[0]).toMatchObject({ opId: create!.id, receivedLate: true });
    expect(bob.read.history.blame("code", code)["name"]?.[0]).toMatchObject({ opId: rename!.id, receivedLate: false });
  });

  it("a receive time that is not a whole, non-negative ms count is dropped, never shown", () => {
    const { alice, bob } = pair();
    alice.commands.createCode({ name: "A", color: "#00aa00" });
    alice.commands.createCode({ name: "B", color: "#00aa00" });
    alice.commands.createCode({ name: "C", color: "#00aa00" });
    const ops = alice.sync.opsAfter();
    const identity = { deployment: "memory:test", project: alice.project, stream: "s1" };
    const bad = [Number.NaN, -1, 1.5, Number.MAX_VALUE];
    expect(ops).toHaveLength(bad.length); // the project's own op and three codes
    bob.sync.ingestPage(
      ops,
      { identity, seq: ops.length },
      ops.map((op, i) => ({ id: op.id, receivedAt: bad[i]! })),
    );
    expect(bob.read.history.byActor("alice").map((e) => e.receivedAt)).toEqual(bad.map(() => undefined));
  });

  it("state at the k-th op equals a replay of the first k ops", () => {
    const { alice } = pair();
    const cat = alice.commands.createCategory({ name: "Feelings", color: "#aa0000" });
    const code = alice.commands.createCode({ name: "Hope", color: "#00aa00", parent: cat });
    alice.commands.remove("category", cat);
    alice.commands.rename("code", code, "Hopefulness");
    const ops = alice.sync.opsAfter();
    ops.forEach((op, k) => {
      const replay = createReplica(":memory:", { actor: "x", project: alice.project });
      open.push(replay);
      replay.sync.ingest(ops.slice(0, k + 1));
      expect(alice.read.stateAt(op.hlc)).toBe(replay.read.canonicalState());
    });
  });
});
