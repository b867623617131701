/**
 * `applyOps`: the incremental materialiser entry point.
 *
 * Ops are taken in HLC order within the batch; each op's primary effect is
 * commutative and idempotent (LWW upserts, grow-only sets, Yjs updates) or,
 * for tree moves and merges, goes through the move log's undo/redo. Then
 * derived state is recomputed for what the batch touched (derive.ts). So
 * after any sequence of batches, in any order, with duplicates, the tables
 * equal a replay of the whole op set in HLC order.
 */
import type Database from "better-sqlite3";
import type { CreateOp, Op, SetOp } from "../op/op.js";
import { mergeAsMove } from "./code-merge.js";
import { recordResolve } from "./conflicts.js";
import { derive } from "./derive.js";
import type { Dirty, TreeName } from "./dirty.js";
import { entityKey, makeDirty, treeDirty, treeOf } from "./dirty.js";
import { recordCreate, writeLifecycle } from "./lifecycle.js";
import { recordLink, recordUnlink } from "./links.js";
import { writeRegister, writeSet } from "./registers.js";
import { flushTexts, queueText } from "./text.js";
import type { TextBatch, Unapplied } from "./text.js";
import type { Move } from "./tree-move.js";
import { applyMoves, ensureNode } from "./tree-move.js";

const transactions = new WeakMap<Database.Database, (ops: ReadonlyArray<Op>) => ReadonlyArray<Unapplied>>();

/**
 * Materialises ops already inserted into `ops` (any order, late ones
 * included). Returns the ops whose content could not be applied (text.ts):
 * they are skipped, recorded in `m_unapplied`, and the rest applies.
 */
export function applyOps(db: Database.Database, ops: ReadonlyArray<Op>): ReadonlyArray<Unapplied> {
  if (ops.length === 0) return [];
  // Inside the op log's transaction (every live write): no savepoint of our
  // own, whose statement journal copies every page the batch touches; the
  // caller's transaction is all or nothing already.
  if (db.inTransaction) return applyBatch(db, ops);
  let run = transactions.get(db);
  if (run === undefined) {
    run = db.transaction((batch: ReadonlyArray<Op>) => applyBatch(db, batch));
    transactions.set(db, run);
  }
  return run(ops);
}

/** One batch without its own transaction: primary effects, then derived state of what it touched. */
export function applyBatch(db: Database.Database, ops: ReadonlyArray<Op>): ReadonlyArray<Unapplied> {
  const batch = makeBatch(false);
  const unapplied: Array<Unapplied> = [];
  applyPrimaries(db, ops, batch);
  flushTexts(db, batch.texts, unapplied);
  derive(db, batch.dirty);
  return unapplied;
}

/**
 * State shared by the ops of one `applyOps` call, or by every page of a
 * rebuild (`rebuilding`: concurrent edits are found in one query at the
 * end, texts and derived state are settled once at the end).
 */
export interface Batch {
  readonly dirty: Dirty;
  readonly moves: Map<TreeName, Array<Move>>;
  readonly texts: Map<string, TextBatch>;
  readonly rebuilding: boolean;
  /** Base64 characters queued in `texts`. */
  textBytes: number;
}

export function makeBatch(rebuilding: boolean): Batch {
  return { dirty: makeDirty(), moves: new Map(), texts: new Map(), rebuilding, textBytes: 0 };
}

/** Primary effects of ops in HLC order; moves of each tree are applied before returning. */
export function applyPrimaries(db: Database.Database, ops: ReadonlyArray<Op>, batch: Batch): void {
  const sorted = [...ops].sort((a, b) => (a.hlc < b.hlc ? -1 : a.hlc > b.hlc ? 1 : 0));
  for (const op of sorted) applyPrimary(db, op, batch);
  for (const [tree, moves] of batch.moves) applyMoves(db, tree, moves, treeDirty(batch.dirty, tree));
  batch.moves.clear();
}

function applyPrimary(db: Database.Database, op: Op, batch: Batch): void {
  const { type, id } = op.target;
  const { dirty } = batch;
  switch (op.kind) {
    case "create":
      return applyCreate(db, op, batch);
    case "set":
      return applySet(db, op, batch);
    case "text":
      batch.textBytes += queueText(batch.texts, type, id, op.body.field, op.id, op.body.update);
      if (type === "source" && op.body.field === "content") dirty.sourceTexts.add(id);
      return;
    case "delete":
    case "restore":
      writeLifecycle(db, type, id, op.hlc, op.kind === "delete");
      dirty.lifecycle.add(entityKey(type, id));
      return;
    case "move":
      return queueMove(batch, op.hlc, type, id, op.body.parent);
    case "merge":
      return pushMove(batch, "alias", mergeAsMove(op));
    case "link":
      return recordLink(db, op.id, id, op.body.source);
    case "unlink":
      return recordUnlink(db, id, op.body.adds);
    case "resolve":
      return recordResolve(db, op.body.conflict, op.id);
  }
}

function applyCreate(db: Database.Database, op: CreateOp, batch: Batch): void {
  const { type, id } = op.target;
  recordCreate(db, type, id, op.hlc);
  batch.dirty.lifecycle.add(entityKey(type, id));
  const tree = treeOf(type);
  if (tree !== undefined && !Object.hasOwn(op.body.fields, "parent")) ensureNode(db, tree, id, type);
  for (const [field, value] of Object.entries(op.body.fields)) {
    if (field === "parent" && tree !== undefined) {
      // A create with a parent is the node's first move (docs/design.md §4).
      queueMove(batch, op.hlc, type, id, typeof value === "string" ? value : null);
      continue;
    }
    writeRegister(db, type, id, field, value, op.hlc);
    touchField(batch.dirty, op, field);
  }
  if (type === "segment") batch.dirty.segmentAnchors.add(id);
}

function applySet(db: Database.Database, op: SetOp, batch: Batch): void {
  const { type, id } = op.target;
  const { field, value } = op.body;
  if (field === "parent" && treeOf(type) !== undefined) {
    // `parent` is tree state, not a plain register: a set of it is a move.
    return queueMove(batch, op.hlc, type, id, typeof value === "string" ? value : null);
  }
  writeSet(db, op, !batch.rebuilding);
  touchField(batch.dirty, op, field);
}

function touchField(dirty: Dirty, op: Op, field: string): void {
  const { type, id } = op.target;
  if (field === "name") dirty.names.add(entityKey(type, id));
  if (type === "segment") dirty.segments.add(id);
}

function queueMove(batch: Batch, hlc: string, type: Op["target"]["type"], id: string, parent: string | null): void {
  const tree = treeOf(type);
  if (tree === undefined) return; // validation only lets tree types move
  pushMove(batch, tree, { hlc, node: id, nodeType: type, parent });
}

function pushMove(batch: Batch, tree: TreeName, move: Move): void {
  let list = batch.moves.get(tree);
  if (list === undefined) {
    list = [];
    batch.moves.set(tree, list);
  }
  list.push(move);
}
