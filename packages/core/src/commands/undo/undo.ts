/**
 * Undo as new ops (docs/spec/undo.md): `undo(opId)` writes the compensating
 * op(s) of one op, `undoLast(n)` those of the researcher's last n edits.
 * Compensating ops are ordinary ops, stamped, logged and synced like any
 * other, and carry `undoes: <op id>`; the log is never rewritten. Undoing an
 * undo redoes the edit.
 *
 * Refusals (a `CommandError`, nothing written): an unknown op (not-found), an
 * op whose undo stands (already-undone), an op that changed nothing or
 * cannot be taken back (not-undoable), and an op that later ops overwrote
 * (superseded) unless `force`. Each compensating op targets the entity of the
 * op it undoes, so one entity's ops hold everything undo reasons about.
 */
import { entityOps } from "../../history/index.js";
import { skippedMoves } from "../../history/blame.js";
import { MAX_BODY_BYTES, type LinkOp, type Op, type TextOp, type UnlinkOp } from "../../op/op.js";
import type { CommandContext, OpDraft } from "../context.js";
import { CommandError, fail } from "../errors.js";
import { linkAdds, yjsClientId } from "../read.js";
import { describeOp } from "./describe.js";
import { planLinkUndo } from "./link-undo.js";
import { planRegisterUndo } from "./register-undo.js";
import { slotOf, undoneBy } from "./slots.js";
import { textUndoUpdate } from "./text-undo.js";
import { lastSteps } from "./steps.js";
import { findOp } from "../../op-log/ops-store.js";

/** Bytes of a text body's JSON besides its field name and update: `{"field":"","update":""}`. */
const BODY_FRAME = 23;

export interface UndoOptions {
  /** Undo even if later ops overwrote the op (their values are replaced). */
  readonly force?: boolean;
}

export interface UndoResult {
  /** Ids of the ops undone, newest first. */
  readonly undone: ReadonlyArray<string>;
  /** Ids of the compensating ops written. */
  readonly ops: ReadonlyArray<string>;
}

export function undo(ctx: CommandContext, opId: string, options: UndoOptions = {}): UndoResult {
  const op = typeof opId === "string" ? findOp(ctx.db, opId) : undefined;
  if (op === undefined)
    fail("not-found", `no op with id ${JSON.stringify(opId)} in this project's log: the history (qc log) lists the op ids`);
  return { undone: [op.id], ops: undoOne(ctx, op, options.force === true).map((o) => o.id) };
}

export function undoLast(ctx: CommandContext, n: number, options: UndoOptions = {}): UndoResult {
  if (!Number.isInteger(n) || n < 1)
    fail("invalid-value", `the number of edits to undo must be a whole number of at least 1, got ${String(n)}`);
  const steps = lastSteps(ctx.db, ctx.actor, n);
  if (steps.length === 0) fail("not-found", `${ctx.actor} has no edit left to undo in this project`);
  const undone: Array<string> = [];
  const ops: Array<string> = [];
  for (const op of steps.flat()) {
    for (const written of undoOne(ctx, op, options.force === true)) ops.push(written.id);
    undone.push(op.id);
  }
  return { undone, ops };
}

function undoOne(ctx: CommandContext, op: Op, force: boolean): ReadonlyArray<Op> {
  const ops = entityOps(ctx.db, op.target.type, op.target.id);
  const standing = undoneBy(ops, op);
  if (standing !== undefined) {
    fail("already-undone", `${describeOp(op)} is undone already (by op ${standing.id}); undo ${standing.id} to redo it`);
  }
  return ctx.emit(plan(ctx, op, ops, force));
}

function plan(ctx: CommandContext, op: Op, ops: ReadonlyArray<Op>, force: boolean): ReadonlyArray<OpDraft> {
  const slot = slotOf(op);
  if (slot === undefined) fail("not-undoable", `${describeOp(op)} cannot be undone: a resolved conflict stays resolved`);
  if (slot.kind === "text") return [planText(ctx, op as TextOp, ops, slot.field)];
  if (slot.kind === "link") {
    const { drafts, overwritten } = planLinkUndo(op as LinkOp | UnlinkOp, ops, (source) => linkAdds(ctx.db, op.target.id, source));
    if (drafts.length === 0 || (overwritten !== undefined && !force)) superseded(op, overwritten ?? "", drafts.length > 0);
    return drafts;
  }
  const { draft, overwrittenBy } = planRegisterUndo(ctx, slot, op, ops, skippedMoves(ctx.db, op.target.id));
  if (overwrittenBy !== undefined && !force) superseded(op, `${describeOp(overwrittenBy)} came later`, true);
  return [draft];
}

function planText(ctx: CommandContext, op: TextOp, ops: ReadonlyArray<Op>, field: string): OpDraft {
  const fieldOps = ops.filter((o) => o.kind === "text" && o.body.field === field);
  const update = textUndoUpdate(fieldOps, op, yjsClientId(ctx.replica));
  if (update === undefined) superseded(op, "the text it inserted was removed since", false);
  if (update.length + field.length + BODY_FRAME > MAX_BODY_BYTES) {
    fail("not-undoable", `${describeOp(op)} deleted more text than one op can bring back; copy the text back in by hand`);
  }
  return { kind: "text", target: { type: op.target.type, id: op.target.id }, body: { field, update }, undoes: op.id };
}

function superseded(op: Op, why: string, forceable: boolean): never {
  const what = forceable ? "nothing was changed; force the undo to replace the later edit" : "there is nothing left to undo";
  throw new CommandError({ reason: "superseded", message: `${describeOp(op)} was overwritten by later edits (${why}): ${what}` });
}
