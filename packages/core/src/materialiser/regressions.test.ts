/**
 * Counterexamples found by the property tests or by review, kept as fixed
 * cases. Each names the arrival that once broke an invariant.
 */
import { describe, expect, it } from "vitest";
import { makeOp } from "../op/op-builder.js";
import type { Op } from "../op/op.js";
import { canonicalState, getEntity } from "./index.js";
import { referenceState, stateAfter } from "./invariants.js";
import { at, openTestDb, ingest, R2 } from "./test-support.js";

describe("regressions", () => {
  it("a moved node whose entity row first appears through a delete still gets its effective parent", () => {
    // Arrival move, delete, create: no step changes liveness (it stays 0), yet the
    // effective parent must be computed as a replay in HLC order computes it.
    const ops: Array<Op> = [
      makeOp({ kind: "create", target: { type: "category", id: "p" }, body: { fields: { name: "P" } }, hlc: at(0) }),
      makeOp({ kind: "create", target: { type: "category", id: "x" }, body: { fields: { name: "X", parent: null } }, hlc: at(1) }),
      makeOp({ kind: "move", target: { type: "category", id: "x" }, body: { parent: "p" }, hlc: at(2, R2) }),
      makeOp({ kind: "delete", target: { type: "category", id: "x" }, body: {}, hlc: at(3) }),
    ];
    const [p, create, move, del] = ops as [Op, Op, Op, Op];
    expect(stateAfter([[p], [move], [del], [create]])).toBe(referenceState(ops));
    const db = openTestDb();
    ingest(db, [p, move, del, create]);
    expect(getEntity(db, "category", "x")?.effectiveParent).toBe("p");
    expect(canonicalState(db)).toBe(referenceState(ops));
  });
});

describe("regressions: two creates of one id", () => {
  it("conflict ids follow the entity's first create whatever the arrival order", () => {
    const ops: Array<Op> = [
      makeOp({ kind: "create", target: { type: "code", id: "a" }, body: { fields: { name: "Same" } }, hlc: at(5) }),
      makeOp({ kind: "create", target: { type: "code", id: "b" }, body: { fields: { name: "same" } }, hlc: at(6) }),
      // A second create of "a" with an older HLC: it becomes a's first create.
      makeOp({ kind: "create", target: { type: "code", id: "a" }, body: { fields: { name: "SAME" } }, hlc: at(1, R2) }),
    ];
    const reference = referenceState(ops);
    expect(stateAfter(ops.map((op) => [op]))).toBe(reference);
    expect(stateAfter([[ops[2] as Op], [ops[1] as Op], [ops[0] as Op]])).toBe(reference);
    expect(reference).toContain('"duplicate-name"');
  });
});

describe("regressions: text updates Yjs cannot apply", () => {
  it("an item whose origin is itself (found by the yjs-update.test.ts property) is skipped with its reason, not thrown", () => {
    // client 1 inserts "  " into memo, then an item at clock 2 whose origin is (1, 2): Yjs throws "Unexpected case".
    const bytes = [1, 2, 1, 0, 4, 1, 4, 109, 101, 109, 111, 2, 32, 32, 132, 1, 2, 1, 32, 1, 1, 1, 0, 2];
    const create = makeOp({ target: { type: "code", id: "c" }, body: { fields: { name: "C" } }, hlc: at(0) });
    const text = makeOp({ kind: "text", target: { type: "code", id: "c" }, hlc: at(1) });
    const bad = { ...text, body: { field: "memo", update: Buffer.from(bytes).toString("base64") } } as Op;
    const db = openTestDb();
    ingest(db, [create, bad]);
    expect(getEntity(db, "code", "c")?.fields).toEqual({ name: "C", parent: null });
    expect(db.prepare("SELECT reason FROM m_unapplied").pluck().all()).toEqual([expect.stringMatching(/its own or a later item/)]);
    expect(canonicalState(db)).toBe(referenceState([create, bad]));
  });
});
