/**
 * Undo of a last-writer-wins slot: the lifecycle (create, delete, restore),
 * a register (`set`, a create's fields), the tree parent (moves) and the
 * merge alias (merges). The compensating op writes back the value the slot
 * had just before the undone op in HLC order: a delete or a restore for the
 * lifecycle (a create is undone by a delete), a `set` of the old value, a
 * move to the old parent, a merge into the old alias (`into: null` splits a
 * merged code out again).
 *
 * The undone op is overwritten when the slot's current value no longer
 * stands for it (`originOf`, slots.ts): then the undo says so and writes
 * nothing, unless forced.
 */
import { validateFieldValue } from "../../op/domain.js";
import type { JsonValue, Op } from "../../op/op.js";
import type { OpDraft } from "../context.js";
import { fail } from "../errors.js";
import { wouldMergeCycle } from "../../materialiser/index.js";
import { closesCycle, writersOf } from "../read.js";
import type { CommandContext } from "../context.js";
import { originOf, priorWrite, slotValue, slotWrites, type RegisterSlot } from "./slots.js";
import { describeOp } from "./describe.js";

export interface RegisterUndo {
  readonly draft: OpDraft;
  /** The later write the slot's value stands for now, when it no longer stands for the undone op. */
  readonly overwrittenBy?: Op;
}

export function planRegisterUndo(
  ctx: CommandContext,
  slot: RegisterSlot,
  op: Op,
  entityOps: ReadonlyArray<Op>,
  skipped: ReadonlySet<string>,
): RegisterUndo {
  if (skipped.has(op.id))
    fail("not-undoable", `${describeOp(op)} was skipped (it would have closed a loop), so it changed nothing to undo`);
  const writes = slotWrites(slot, entityOps, skipped);
  const current = writes[writes.length - 1];
  const before = priorWrite(writes, op);
  const draft = compensation(ctx, slot, op, before === undefined ? undefined : slotValue(slot, before));
  if (current === undefined || originOf(writes, current) === originOf(writes, op)) return { draft };
  return { draft, overwrittenBy: current };
}

function compensation(ctx: CommandContext, slot: RegisterSlot, op: Op, before: JsonValue | undefined): OpDraft {
  const { type, id } = op.target;
  const target = { type, id };
  switch (slot.kind) {
    case "lifecycle":
      if (type === "project") fail("not-undoable", "the project's own creation cannot be undone");
      return { kind: before === "live" ? "restore" : "delete", target, body: {}, undoes: op.id };
    case "register": {
      const value = before ?? null;
      const why = validateFieldValue(type, slot.field, value);
      if (why !== undefined)
        fail("not-undoable", `${describeOp(op)} gave ${slot.field} its first value; there is no earlier value to go back to`);
      return { kind: "set", target, body: { field: slot.field, value }, prev: writersOf(ctx.db, type, id, slot.field), undoes: op.id };
    }
    case "tree": {
      const parent = typeof before === "string" ? before : null;
      if (closesCycle(ctx.db, type, id, parent)) {
        fail(
          "would-create-cycle",
          `undoing ${describeOp(op)} would move ${type} ${id} back under ${String(parent)}, which is now inside it; move one of them first`,
        );
      }
      return { kind: "move", target, body: { parent }, undoes: op.id };
    }
    case "alias": {
      const into = typeof before === "string" ? before : null;
      if (into !== null && (into === id || wouldMergeCycle(ctx.db, id, into))) {
        fail("would-create-cycle", `undoing ${describeOp(op)} would merge code ${id} back into ${into}, which is now merged into it`);
      }
      return { kind: "merge", target, body: { into }, undoes: op.id };
    }
  }
}
