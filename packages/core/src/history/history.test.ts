import { afterEach, describe, expect, it } from "vitest";
import { openReplica, type Replica } from "../replica.js";

const T = Date.UTC(2026, 10, 25, 9, 0, 0);
const open: Array<Replica> = [];
afterEach(() => {
  for (const r of open.splice(0)) r.close();
});

function pair(): { alice: Replica; bob: Replica; now: { ms: number } } {
  const now = { ms: T };
  const alice = openReplica(":memory:", { actor: "alice", clock: () => now.ms });
  const bob = openReplica(":memory:", { actor: "bob", project: alice.project, clock: () => now.ms });
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
    expect(trail.map((o) => [o.kind, o.actor])).toEqual([
      ["create", "alice"],
      ["set", "bob"],
      ["set", "alice"],
    ]);
    expect(alice.read.history.byActor("bob").map((o) => o.kind)).toEqual(["set"]);
    const minute = alice.read.history.between(new Date(T + 60_000), new Date(T + 60_000));
    expect(minute.map((o) => o.actor)).toEqual(["bob"]);
    expect(alice.read.history.between(undefined, new Date(T)).map((o) => o.kind)).toEqual(["create", "create"]);
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
    expect(blame["name"]).toEqual([{ opId: renameOp.id, actor: "bob", hlc: renameOp.hlc, kind: "set" }]);
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

  it("state at the k-th op equals a replay of the first k ops", () => {
    const { alice } = pair();
    const cat = alice.commands.createCategory({ name: "Feelings", color: "#aa0000" });
    const code = alice.commands.createCode({ name: "Hope", color: "#00aa00", parent: cat });
    alice.commands.remove("category", cat);
    alice.commands.rename("code", code, "Hopefulness");
    const ops = alice.sync.opsAfter();
    ops.forEach((op, k) => {
      const replay = openReplica(":memory:", { actor: "x", project: alice.project });
      open.push(replay);
      replay.sync.ingest(ops.slice(0, k + 1));
      expect(alice.read.stateAt(op.hlc)).toBe(replay.read.canonicalState());
    });
  });
});
