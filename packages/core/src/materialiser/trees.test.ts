import { describe, expect, it } from "vitest";
import { makeOp } from "../testing/pure/op-builder.js";
import type { EntityType, Op } from "../op/op.js";
import { canonicalState, getEntity, listConflicts, rebuild, wouldCreateCycle } from "./index.js";
import { at, ingest, openTestDb, R1, R2 } from "../testing/materialiser-db.js";

const cat = (id: string, ms: number, parent: string | null = null, type: EntityType = "category"): Op =>
  makeOp({ kind: "create", target: { type, id }, body: { fields: { name: id, parent } }, hlc: at(ms) });
const move = (id: string, parent: string | null, ms: number, replica = R1, type: EntityType = "category"): Op =>
  makeOp({ kind: "move", target: { type, id }, body: { parent }, hlc: at(ms, replica) });
const del = (id: string, ms: number, type: EntityType = "category"): Op =>
  makeOp({ kind: "delete", target: { type, id }, body: {}, hlc: at(ms) });

describe("tree moves", () => {
  it("concurrent moves that together close a cycle: the later one (HLC) is skipped and reported", () => {
    const setup = [cat("a", 0), cat("b", 1)];
    const m1 = move("a", "b", 10, R1); // a under b
    const m2 = move("b", "a", 11, R2); // b under a: closes a cycle after m1
    const x = openTestDb();
    ingest(x, [...setup, m1, m2]);
    const y = openTestDb();
    ingest(y, [...setup, m2]); // m2 applies first on y ...
    expect(getEntity(y, "category", "b")?.parent).toBe("a");
    ingest(y, [m1]); // ... then the late m1 undoes it: same result as x
    expect(getEntity(x, "category", "a")?.parent).toBe("b");
    expect(getEntity(x, "category", "b")?.parent).toBe(null);
    expect(canonicalState(y)).toBe(canonicalState(x));
    const conflicts = listConflicts(x);
    expect(conflicts.map((c) => [c.kind, c.entity])).toEqual([["cycle-skipped", "b"]]);
  });

  it("a move under itself is skipped; wouldCreateCycle predicts it", () => {
    const db = openTestDb();
    ingest(db, [cat("a", 0), cat("b", 1, "a")]);
    expect(wouldCreateCycle(db, "category", "a", "b")).toBe(true);
    expect(wouldCreateCycle(db, "category", "a", "a")).toBe(true);
    expect(wouldCreateCycle(db, "category", "b", null)).toBe(false);
    ingest(db, [move("a", "a", 5)]);
    expect(getEntity(db, "category", "a")?.parent).toBe(null);
    expect(listConflicts(db).map((c) => c.kind)).toEqual(["cycle-skipped"]);
  });

  it("the cycle check walks deleted nodes too", () => {
    const db = openTestDb();
    ingest(db, [cat("a", 0), cat("b", 1, "a"), del("b", 2), move("a", "b", 3)]);
    expect(getEntity(db, "category", "a")?.parent).toBe(null);
    expect(listConflicts(db).map((c) => c.kind)).toEqual(["cycle-skipped"]);
  });

  it("children of a deleted category show under the nearest live ancestor; restore brings them back", () => {
    const db = openTestDb();
    ingest(db, [cat("a", 0), cat("b", 1, "a"), cat("c", 2, "b"), cat("k", 3, "c", "code")]);
    ingest(db, [del("b", 4), del("c", 5)]);
    expect(getEntity(db, "category", "c")?.effectiveParent).toBe("a");
    expect(getEntity(db, "code", "k")?.parent).toBe("c");
    expect(getEntity(db, "code", "k")?.effectiveParent).toBe("a");
    ingest(db, [makeOp({ kind: "restore", target: { type: "category", id: "c" }, body: {}, hlc: at(6) })]);
    expect(getEntity(db, "code", "k")?.effectiveParent).toBe("c");
    expect(getEntity(db, "category", "c")?.effectiveParent).toBe("a");
    const before = canonicalState(db);
    rebuild(db);
    expect(canonicalState(db)).toBe(before);
  });

  it("a parent that was never created is skipped by the effective parent", () => {
    const db = openTestDb();
    ingest(db, [cat("a", 0), cat("b", 1, "ghost")]);
    expect(getEntity(db, "category", "b")?.parent).toBe("ghost");
    expect(getEntity(db, "category", "b")?.effectiveParent).toBe(null);
    ingest(db, [cat("ghost", 2, "a")]);
    expect(getEntity(db, "category", "b")?.effectiveParent).toBe("ghost");
  });

  it("a late move replays the later moves of that tree (folders too)", () => {
    const f = (id: string, ms: number) => cat(id, ms, null, "folder");
    const ops = [
      f("r", 0),
      f("s", 1),
      f("t", 2),
      move("s", "r", 10, R1, "folder"),
      move("t", "s", 12, R1, "folder"),
      move("r", "t", 14, R2, "folder"),
    ];
    const x = openTestDb();
    ingest(x, ops);
    const y = openTestDb();
    ingest(y, [ops[0]!, ops[1]!, ops[2]!, ops[5]!, ops[4]!]);
    ingest(y, [ops[3]!]);
    expect(canonicalState(y)).toBe(canonicalState(x));
    expect(getEntity(x, "folder", "r")?.parent).toBe(null);
    expect(listConflicts(x).map((c) => c.entity)).toEqual(["r"]);
  });
});

describe("tree moves at scale", () => {
  it("late moves of leaves (codes) give the same tree as in-order arrival", () => {
    const ops: Array<Op> = [cat("p", 0), cat("q", 1), cat("k1", 2, "p", "code"), cat("k2", 3, "q", "code")];
    for (let i = 0; i < 20; i++) {
      ops.push(move(i % 2 === 0 ? "k1" : "k2", i % 3 === 0 ? "q" : "p", 10 + i, i % 2 === 0 ? R1 : R2, "code"));
    }
    ops.push(move("p", "q", 40), move("q", "p", 41, R2)); // and a cycle among categories
    const x = openTestDb();
    ingest(x, ops);
    const y = openTestDb();
    ingest(y, ops.slice(0, 4));
    ingest(
      y,
      [...ops.slice(4)].reverse().filter((_, i) => i % 2 === 0),
    );
    ingest(
      y,
      [...ops.slice(4)].filter((_, i) => i % 3 === 0),
    );
    ingest(y, ops.slice(4));
    expect(canonicalState(y)).toBe(canonicalState(x));
    const before = canonicalState(x);
    rebuild(x);
    expect(canonicalState(x)).toBe(before);
  });

  it("a batch touching hundreds of nodes (whole-tree pass) agrees with one-by-one apply", () => {
    const ops: Array<Op> = [];
    for (let i = 0; i < 300; i++) ops.push(cat(`c${i}`, i, i === 0 ? null : `c${Math.floor(i / 3)}`));
    for (let i = 0; i < 300; i += 7) ops.push(del(`c${i}`, 1000 + i));
    const big = openTestDb();
    ingest(big, ops);
    const small = openTestDb();
    for (const op of ops) ingest(small, [op]);
    expect(canonicalState(big)).toBe(canonicalState(small));
    expect(getEntity(big, "category", "c22")?.effectiveParent).toBe("c2"); // c7 (its parent) is deleted
  });
});
