/**
 * The tree cascade past the small-batch size: a batch touching hundreds of
 * nodes of a bigger tree walks only their subtrees and ancestors (not the
 * whole tree, docs/decisions/0011-incremental-derived-state.md), and must
 * still give every node the effective parent a replay in HLC order gives.
 */
import { describe, expect, it } from "vitest";
import { makeOp } from "../testing/pure/op-builder.js";
import type { Op } from "../op/op.js";
import { referenceState, stateAfter } from "../testing/invariants.js";
import { at, R2 } from "../testing/materialiser-db.js";
import { getEntity } from "./index.js";
import { ingest, openTestDb } from "../testing/materialiser-db.js";

const CHAINS = 20;
const DEPTH = 3;
const CODES = 1200;

/** Chains of categories c{chain}-{level}, codes spread under the deepest ones. */
function bigTree(): Array<Op> {
  const ops: Array<Op> = [];
  let t = 0;
  for (let chain = 0; chain < CHAINS; chain++) {
    for (let level = 0; level < DEPTH; level++) {
      const parent = level === 0 ? null : `c${chain}-${level - 1}`;
      ops.push(
        makeOp({
          kind: "create",
          target: { type: "category", id: `c${chain}-${level}` },
          body: { fields: { name: `C ${chain} ${level}`, parent } },
          hlc: at(t++),
        }),
      );
    }
  }
  for (let i = 0; i < CODES; i++) {
    const parent = `c${i % CHAINS}-${DEPTH - 1}`;
    ops.push(
      makeOp({ kind: "create", target: { type: "code", id: `k${i}` }, body: { fields: { name: `Code ${i}`, parent } }, hlc: at(t++) }),
    );
  }
  return ops;
}

/** ~400 touched nodes: deleted categories (their codes move up), moved codes, new codes under a deleted category. */
function bigBatch(start: number): Array<Op> {
  const ops: Array<Op> = [];
  let t = start;
  for (let chain = 0; chain < CHAINS; chain += 4) {
    ops.push(makeOp({ kind: "delete", target: { type: "category", id: `c${chain}-${DEPTH - 1}` }, body: {}, hlc: at(t++, R2) }));
    ops.push(makeOp({ kind: "delete", target: { type: "category", id: `c${chain + 1}-1` }, body: {}, hlc: at(t++, R2) }));
  }
  for (let i = 1; i < CODES; i += 7) {
    ops.push(makeOp({ kind: "move", target: { type: "code", id: `k${i}` }, body: { parent: `c${(i + 3) % CHAINS}-1` }, hlc: at(t++, R2) }));
  }
  for (let i = 0; i < 150; i++) {
    ops.push(
      makeOp({
        kind: "create",
        target: { type: "code", id: `n${i}` },
        body: { fields: { name: `Code ${i}`, parent: `c0-${DEPTH - 1}` } },
        hlc: at(t++, R2),
      }),
    );
  }
  return ops;
}

describe("tree cascade of a big batch into a bigger tree", () => {
  it("gives every node the effective parent of a replay in HLC order", () => {
    const tree = bigTree();
    const batch = bigBatch(tree.length);
    expect(batch.length).toBeGreaterThan(256);
    expect(stateAfter([tree, batch])).toBe(referenceState([...tree, ...batch]));
  });

  it("moves codes below a deleted category up to its nearest live ancestor", () => {
    const tree = bigTree();
    const db = openTestDb();
    ingest(db, tree);
    ingest(db, bigBatch(tree.length));
    expect(getEntity(db, "code", "k0")?.effectiveParent).toBe(`c0-${DEPTH - 2}`);
    expect(getEntity(db, "code", "n0")?.effectiveParent).toBe(`c0-${DEPTH - 2}`);
    // c1-1 deleted: c1-2 (and so every code below it) hangs under c1-0 now.
    expect(getEntity(db, "category", `c1-${DEPTH - 1}`)?.effectiveParent).toBe("c1-0");
    db.close();
  });
});
