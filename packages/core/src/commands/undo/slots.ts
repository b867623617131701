/**
 * What an op wrote, as a "slot" with a history of writes, and the pure
 * reasoning undo needs over one entity's ops (docs/spec/undo.md):
 *
 * - `slotOf`: the one thing an op changes — the lifecycle, a register, the
 *   tree parent, the merge alias, a text field, or a case-source link;
 * - `slotWrites`: the ops that wrote a last-writer-wins slot, in HLC order,
 *   skipped moves and merges left out (they changed nothing);
 * - `originOf`: which op's value a write stands for. A plain write stands for
 *   itself; an undo of Z stands for whatever was there before Z. So after
 *   "rename A, rename B, undo B" the name still stands for A, and undoing A
 *   is not refused as overwritten;
 * - `isUndone`: an op is undone while some undo of it is itself not undone.
 *
 * Invariant: every walk follows HLCs strictly downwards (an undo is only
 * followed to an older op), so hostile `undoes` links cannot loop.
 */
import { treeOf } from "../../materialiser/dirty.js";
import type { JsonValue, Op } from "../../op/op.js";

export type Slot =
  | { readonly kind: "lifecycle" }
  | { readonly kind: "register"; readonly field: string }
  | { readonly kind: "tree" }
  | { readonly kind: "alias" }
  | { readonly kind: "text"; readonly field: string }
  | { readonly kind: "link" };

export type RegisterSlot = Extract<Slot, { kind: "lifecycle" | "register" | "tree" | "alias" }>;

/** The slot `op` changes; undefined for ops nothing can take back (resolve). */
export function slotOf(op: Op): Slot | undefined {
  switch (op.kind) {
    case "create":
    case "delete":
    case "restore":
      return { kind: "lifecycle" };
    case "set":
      return op.body.field === "parent" && treeOf(op.target.type) !== undefined
        ? { kind: "tree" }
        : { kind: "register", field: op.body.field };
    case "move":
      return { kind: "tree" };
    case "merge":
      return { kind: "alias" };
    case "text":
      return { kind: "text", field: op.body.field };
    case "link":
    case "unlink":
      return { kind: "link" };
    case "resolve":
      return undefined;
  }
}

/** Whether `op` writes `slot` (a create writes the lifecycle, its fields, and its first move). */
export function writesSlot(slot: RegisterSlot, op: Op): boolean {
  switch (slot.kind) {
    case "lifecycle":
      return op.kind === "create" || op.kind === "delete" || op.kind === "restore";
    case "register":
      return (op.kind === "create" && Object.hasOwn(op.body.fields, slot.field)) || (op.kind === "set" && op.body.field === slot.field);
    case "tree":
      return (
        op.kind === "move" ||
        (op.kind === "create" && Object.hasOwn(op.body.fields, "parent")) ||
        (op.kind === "set" && op.body.field === "parent")
      );
    case "alias":
      return op.kind === "merge";
  }
}

/** The value `op` wrote into `slot`: "live"/"deleted" for the lifecycle, a parent or alias id or null, a register value. */
export function slotValue(slot: RegisterSlot, op: Op): JsonValue {
  if (slot.kind === "lifecycle") return op.kind === "delete" ? "deleted" : "live";
  if (op.kind === "move") return op.body.parent;
  if (op.kind === "merge") return op.body.into;
  if (op.kind === "create") return op.body.fields[slot.kind === "register" ? slot.field : "parent"] ?? null;
  if (op.kind === "set") return op.body.value;
  throw new Error(`undo defect: ${op.kind} op ${op.id} does not write a ${slot.kind}`);
}

/** The slot's writes among `entityOps` (HLC order), without the `skipped` moves and merges. */
export function slotWrites(slot: RegisterSlot, entityOps: ReadonlyArray<Op>, skipped: ReadonlySet<string>): ReadonlyArray<Op> {
  return entityOps.filter((op) => writesSlot(slot, op) && !skipped.has(op.id));
}

/** The last write before `op` (HLC order), or undefined when `op` is the first. */
export function priorWrite(writes: ReadonlyArray<Op>, op: Op): Op | undefined {
  let prior: Op | undefined;
  for (const w of writes) if (w.hlc < op.hlc) prior = w;
  return prior;
}

/** Marker for "the slot's value before any write" (no op stands behind it). */
export const NO_ORIGIN = "";

export function originOf(writes: ReadonlyArray<Op>, write: Op): string {
  const undone = write.undoes === undefined ? undefined : writes.find((w) => w.id === write.undoes && w.hlc < write.hlc);
  if (undone === undefined) return write.id;
  const before = priorWrite(writes, undone);
  return before === undefined ? NO_ORIGIN : originOf(writes, before);
}

/** Whether some undo of `op` among `entityOps` stands (is not itself undone). */
export function isUndone(entityOps: ReadonlyArray<Op>, op: Op): boolean {
  return undoneBy(entityOps, op) !== undefined;
}

/** The standing undo of `op`, if any. */
export function undoneBy(entityOps: ReadonlyArray<Op>, op: Op): Op | undefined {
  return entityOps.find((u) => u.undoes === op.id && u.hlc > op.hlc && !isUndone(entityOps, u));
}
