/**
 * Building blocks every area's commands share: write a register (with
 * `prev`), rename, delete, restore, move, and check a parent. Each checks
 * first and emits after, so a `CommandError` means nothing was written.
 */
import type { EntityType, JsonValue } from "../op/op.js";
import type { CommandContext } from "./context.js";
import { fail } from "./errors.js";
import { closesCycle, entityStatus, requireLive, writersOf } from "./read.js";
import { checkName } from "./validate.js";

/** `set` of a register; `prev` = the writes the researcher's replica holds now. */
export function setField(ctx: CommandContext, type: EntityType, id: string, field: string, value: JsonValue): void {
  ctx.emit([{ kind: "set", target: { type, id }, body: { field, value }, prev: writersOf(ctx.db, type, id, field) }]);
}

export function rename(ctx: CommandContext, type: EntityType, id: string, name: string): void {
  requireLive(ctx.db, type, id);
  setField(ctx, type, id, "name", checkName(name, type));
}

export function deleteEntity(ctx: CommandContext, type: EntityType, id: string): void {
  requireLive(ctx.db, type, id);
  ctx.emit([{ kind: "delete", target: { type, id }, body: {} }]);
}

export function restoreEntity(ctx: CommandContext, type: EntityType, id: string): void {
  const status = entityStatus(ctx.db, type, id);
  if (status === "missing") fail("not-found", `no ${type} with id ${id}: nothing to restore`);
  if (status !== "deleted") fail("already-live", `${type} ${id} is not deleted: nothing to restore`);
  ctx.emit([{ kind: "restore", target: { type, id }, body: {} }]);
}

/** Which entity type may be the parent of each tree node type. */
const PARENT_TYPE: { readonly [T in EntityType]?: EntityType } = {
  category: "category",
  code: "category",
  folder: "folder",
  source: "folder",
};

/** Checks a new parent: live, of the right type, and no loop. */
export function checkParent(ctx: CommandContext, type: EntityType, id: string | undefined, parent: string | null): string | null {
  if (parent === null) return null;
  const parentType = PARENT_TYPE[type];
  if (parentType === undefined) fail("invalid-value", `a ${type} has no parent`);
  requireLive(ctx.db, parentType, parent, `parent ${parentType}`);
  if (parent === id || (id !== undefined && closesCycle(ctx.db, type, id, parent))) {
    fail(
      "would-create-cycle",
      `moving ${type} ${id ?? ""} under ${parent} would put it inside itself; choose a parent outside its subtree`,
    );
  }
  return parent;
}

export function move(ctx: CommandContext, type: EntityType, id: string, parent: string | null): void {
  requireLive(ctx.db, type, id);
  ctx.emit([{ kind: "move", target: { type, id }, body: { parent: checkParent(ctx, type, id, parent) } }]);
}
