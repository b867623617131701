import { describe, expect, it } from "vitest";
import { makeOp } from "../testing/pure/op-builder.js";
import { MAX_PREV } from "../op/op.js";
import { canonicalState, getEntity, listConflicts, registerWriters, rebuild } from "./index.js";
import { at, ingest, openTestDb, R1, R2 } from "../testing/materialiser-db.js";

const code = { type: "code", id: "code-a" } as const;
const create = makeOp({ kind: "create", target: code, body: { fields: { name: "Anger", color: "#ff0000" } }, hlc: at(0) });
const setBy = (ms: number, replica: string, value: string, prev: ReadonlyArray<string>) =>
  makeOp({ kind: "set", target: code, body: { field: "color", value }, hlc: at(ms, replica), prev });

describe("registers (LWW by HLC)", () => {
  it("the highest HLC wins whatever the arrival order", () => {
    const a = setBy(10, R1, "#00ff00", [create.id]);
    const b = setBy(20, R2, "#0000ff", [a.id]);
    const x = openTestDb();
    ingest(x, [create, a, b]);
    const y = openTestDb();
    ingest(y, [b]);
    ingest(y, [a, create]);
    expect(getEntity(x, "code", "code-a")?.fields["color"]).toBe("#0000ff");
    expect(canonicalState(y)).toBe(canonicalState(x));
    expect(listConflicts(x)).toEqual([]);
    expect(registerWriters(x, "code", "code-a", "color")).toEqual([b.id]);
  });

  it("two writes with the same prev make one concurrent-edit conflict listing both values", () => {
    const a = setBy(10, R1, "#00ff00", [create.id]);
    const b = setBy(11, R2, "#0000ff", [create.id]);
    const db = openTestDb();
    ingest(db, [b, create]);
    ingest(db, [a]);
    expect(getEntity(db, "code", "code-a")?.fields["color"]).toBe("#0000ff");
    const conflicts = listConflicts(db);
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]?.kind).toBe("concurrent-edit");
    expect(conflicts[0]?.detail).toEqual({
      field: "color",
      writes: [
        { op: a.id, actor: "actor-1", value: "#00ff00" },
        { op: b.id, actor: "actor-1", value: "#0000ff" },
      ],
    });
    // Both are heads: the next write carries both as its prev and is no new conflict.
    expect(registerWriters(db, "code", "code-a", "color")).toEqual([a.id, b.id]);
    const c = setBy(30, R1, "#111111", [a.id, b.id]);
    ingest(db, [c]);
    expect(listConflicts(db)).toHaveLength(1);
    expect(registerWriters(db, "code", "code-a", "color")).toEqual([c.id]);
  });

  it("a resolve hides the conflict it names, even when it arrives first", () => {
    const a = setBy(10, R1, "#00ff00", [create.id]);
    const b = setBy(11, R2, "#0000ff", [create.id]);
    const probe = openTestDb();
    ingest(probe, [create, a, b]);
    const conflictId = listConflicts(probe)[0]?.id ?? "";
    const resolve = makeOp({ kind: "resolve", target: { type: "project", id: "project-1" }, body: { conflict: conflictId }, hlc: at(40) });
    const db = openTestDb();
    ingest(db, [resolve]);
    ingest(db, [a, b, create]);
    expect(listConflicts(db)).toEqual([]);
    expect(listConflicts(db, { includeResolved: true }).map((c) => [c.id, c.resolved])).toEqual([[conflictId, true]]);
  });

  it("a write that arrives after the write that saw it is no head, in any arrival order", () => {
    const a = setBy(10, R1, "#00ff00", [create.id]);
    const b = setBy(20, R2, "#0000ff", [a.id]);
    const c = setBy(15, R2, "#222222", [create.id]);
    for (const order of [
      [create, a, b, c],
      [b, c, create, a],
      [c, b, a, create],
    ]) {
      const db = openTestDb();
      for (const op of order) ingest(db, [op]);
      expect(registerWriters(db, "code", "code-a", "color")).toEqual([b.id, c.id].sort());
      rebuild(db);
      expect(registerWriters(db, "code", "code-a", "color")).toEqual([b.id, c.id].sort());
    }
  });

  it("rebuild gives the same state as incremental apply", () => {
    const db = openTestDb();
    ingest(db, [setBy(11, R2, "#0000ff", [create.id]), create, setBy(10, R1, "#00ff00", [create.id])]);
    const before = canonicalState(db);
    rebuild(db);
    expect(canonicalState(db)).toBe(before);
  });

  it("the heads a new write carries are at most MAX_PREV: the winner and the newest others, so the next write stays valid", () => {
    // 150 writes that each saw only the create: all are heads.
    const flood = Array.from({ length: 150 }, (_, i) => setBy(10 + i, R2, "#00ff00", [create.id]));
    const db = openTestDb();
    ingest(db, [create, ...flood]);
    const heads = registerWriters(db, "code", "code-a", "color");
    expect(heads).toHaveLength(MAX_PREV);
    expect(heads).toContain(flood[149]?.id);
    expect(heads).not.toContain(flood[0]?.id);
    expect(() => setBy(1000, R1, "#0000ff", heads)).not.toThrow();
  });

  it("a chain of writes each seeing the last (one statement each) still meets late and concurrent writes", () => {
    const chain = [setBy(10, R1, "#000001", [create.id])];
    for (let i = 1; i < 6; i++) chain.push(setBy(10 + i, R1, `#00000${i + 1}`, [chain[i - 1]!.id]));
    // Concurrent with chain[3]: saw chain[2] too. A late write older than the chain's end: saw chain[0].
    const concurrent = setBy(40, R2, "#ffffff", [chain[2]!.id]);
    const late = setBy(11, R2, "#eeeeee", [chain[0]!.id]);
    const x = openTestDb();
    for (const op of [create, ...chain]) ingest(x, [op]); // one op per batch, as commands write them
    expect(registerWriters(x, "code", "code-a", "color")).toEqual([chain[5]!.id]);
    ingest(x, [concurrent]);
    ingest(x, [late]);
    // concurrent pairs with chain[3] and late with chain[1]; both stay heads beside the chain's end.
    expect(listConflicts(x).map((c) => (c.detail as { writes: Array<{ op: string }> }).writes.map((w) => w.op))).toEqual(
      expect.arrayContaining([[chain[3]!.id, concurrent.id].sort(), [chain[1]!.id, late.id].sort()]),
    );
    expect(listConflicts(x)).toHaveLength(2);
    expect(registerWriters(x, "code", "code-a", "color")).toEqual([chain[5]!.id, concurrent.id, late.id].sort());
    expect(getEntity(x, "code", "code-a")?.fields["color"]).toBe("#ffffff");
    // The same ops in reverse, one per batch, and in one batch give the same state, heads and conflicts.
    const y = openTestDb();
    for (const op of [...[late, concurrent, ...chain].reverse(), create]) ingest(y, [op]);
    const z = openTestDb();
    ingest(z, [create, late, ...chain, concurrent]);
    for (const db of [y, z]) {
      expect(canonicalState(db)).toBe(canonicalState(x));
      expect(registerWriters(db, "code", "code-a", "color")).toEqual(registerWriters(x, "code", "code-a", "color"));
    }
  });

  it("a write listed by a recorded write is no head even when its prev is the register's heads (a hostile prev naming a newer op)", () => {
    const late = makeOp({ kind: "set", target: code, body: { field: "color", value: "#000005" }, hlc: at(5, R2), prev: ["placeholder"] });
    const w = setBy(10, R1, "#000010", [late.id]);
    const y = setBy(20, R1, "#000020", [w.id]);
    const hostile = { ...late, prev: [y.id] }; // lists an op newer than itself
    const x = openTestDb();
    ingest(x, [create, w, y]);
    ingest(x, [hostile]);
    // w lists the late write, so it is seen; its prev saw y, so y is seen too: only the winner is left.
    expect(registerWriters(x, "code", "code-a", "color")).toEqual([y.id]);
    const z = openTestDb();
    ingest(z, [hostile, y, w, create]);
    expect(registerWriters(z, "code", "code-a", "color")).toEqual([y.id]);
  });

  it("a prev naming strings that are no op ids still groups writes by the set it names, as text beside the byte keys", () => {
    // Any string may be in a prev (op-shape.ts); one that is no HLC names no op, so it is stored as JSON text.
    const a = setBy(10, R1, "#00ff00", ["no such op", create.id]);
    const b = setBy(11, R2, "#0000ff", [create.id, "no such op", create.id]);
    const c = setBy(12, R2, "#ff00ff", [create.id]); // saw the create only: no sibling of a or b
    const x = openTestDb();
    ingest(x, [create, a, b, c]);
    const pairs = listConflicts(x).map((conflict) => (conflict.detail as { writes: Array<{ op: string }> }).writes.map((w) => w.op));
    expect(pairs).toEqual([[a.id, b.id].sort()]);
    expect(x.prepare("SELECT typeof(prev_key), count(*) FROM m_register_writes WHERE first = 1 GROUP BY 1 ORDER BY 1").raw().all()).toEqual(
      [
        ["null", 1], // c: a prev of exactly one HLC, the row's `seen`
        ["text", 2],
      ],
    );
    // The junk id neither names a head nor lets a later write skip the register's writes.
    expect(registerWriters(x, "code", "code-a", "color")).toEqual([a.id, b.id, c.id].sort());
    const y = openTestDb();
    ingest(y, [c, b, a, create]);
    expect(canonicalState(y)).toBe(canonicalState(x));
    rebuild(y);
    expect(canonicalState(y)).toBe(canonicalState(x));
  });

  it("a late write that a recorded write lists beside another op (not its prev's lowest entry) is seen, and its sibling found", () => {
    const a = setBy(10, R1, "#00000a", [create.id]);
    const x = setBy(20, R2, "#00000b", [create.id]); // concurrent with a; arrives last
    const w = setBy(30, R1, "#00000c", [a.id, x.id]); // saw both
    const db = openTestDb();
    for (const op of [create, a, w]) ingest(db, [op]);
    expect(registerWriters(db, "code", "code-a", "color")).toEqual([w.id]);
    ingest(db, [x]);
    expect(registerWriters(db, "code", "code-a", "color")).toEqual([w.id]);
    expect(listConflicts(db).map((c) => (c.detail as { writes: Array<{ op: string }> }).writes.map((v) => v.op))).toEqual([
      [a.id, x.id].sort(),
    ]);
    expect(
      db
        .prepare(
          "SELECT count(*) FROM m_register_writes WHERE op_id = (SELECT op_id FROM m_register_writes WHERE first = 1 AND prev_key IS NOT NULL)",
        )
        .pluck()
        .get(),
    ).toBe(2);
    const other = openTestDb();
    ingest(other, [x, w, a, create]);
    expect(canonicalState(other)).toBe(canonicalState(db));
    expect(registerWriters(other, "code", "code-a", "color")).toEqual([w.id]);
  });
});
