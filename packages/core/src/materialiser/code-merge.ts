/**
 * Code merge (docs/design.md §4 rule 6): `merge { into }` makes the target code an
 * alias of `into`. Aliases are a tree ('alias') handled by tree-move.ts, so a
 * merge into itself, or into a code that (through merges earlier in HLC
 * order) aliases back to it, is skipped and reported like a cyclic move.
 *
 * A code's effective code is the root of its alias chain; a code with an
 * alias is "merged away" (not live). Segments resolve through `aliasRoot`,
 * so ones coded concurrently with the merge follow it too.
 */
import type Database from "better-sqlite3";
import type { MergeOp } from "../op/op.js";
import { aliasRoot as aliasChainEnd, closesCycle } from "./rules/tree.js";
import type { Move } from "./tree-move.js";
import { parentOf } from "./tree-move.js";

export function mergeAsMove(op: MergeOp): Move {
  return { hlc: op.hlc, node: op.target.id, nodeType: "code", parent: op.body.into };
}

/** The end of the code's alias chain (the code itself when not merged). */
export function aliasRoot(db: Database.Database, code: string): string {
  return aliasChainEnd(code, (n) => parentOf(db, "alias", n));
}

/** Whether merging `code` into `into` now would be skipped as a cycle. */
export function wouldMergeCycle(db: Database.Database, code: string, into: string): boolean {
  return closesCycle(code, into, (n) => parentOf(db, "alias", n));
}

export function isMergedAway(db: Database.Database, code: string): boolean {
  return parentOf(db, "alias", code) !== null;
}
