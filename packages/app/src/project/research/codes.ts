/**
 * Codes and categories for the front doors: add, rename, recolour, move,
 * delete, restore, merge, and the tree with segment counts. Entities are
 * named by id or name (refs.ts); the work is `replica.commands`.
 */
import type { Replica, TreeNode } from "@qc/core";
import { nameOf, resolveRef } from "./refs.js";

export type CodeKind = "code" | "category";

export interface AddCodeInput {
  readonly kind: CodeKind;
  readonly name: string;
  readonly color: string;
  /** A category's id or name; absent: top level. */
  readonly parent?: string;
}

export function addCode(replica: Replica, input: AddCodeInput): string {
  const parent = input.parent === undefined ? null : resolveRef(replica, "category", input.parent);
  const create = input.kind === "code" ? replica.commands.createCode : replica.commands.createCategory;
  return create({ name: input.name, color: input.color, parent });
}

export function renameCode(replica: Replica, kind: CodeKind, ref: string, name: string): string {
  const id = resolveRef(replica, kind, ref);
  replica.commands.rename(kind, id, name);
  return id;
}

export function recolourCode(replica: Replica, kind: CodeKind, ref: string, color: string): string {
  const id = resolveRef(replica, kind, ref);
  replica.commands.recolour(kind, id, color);
  return id;
}

/** `parent` undefined or null: to the top level. */
export function moveCode(replica: Replica, kind: CodeKind, ref: string, parent: string | null): string {
  const id = resolveRef(replica, kind, ref);
  replica.commands.move(kind, id, parent === null ? null : resolveRef(replica, "category", parent));
  return id;
}

export function deleteCode(replica: Replica, kind: CodeKind, ref: string): string {
  const id = resolveRef(replica, kind, ref);
  replica.commands.remove(kind, id);
  return id;
}

export function restoreCode(replica: Replica, kind: CodeKind, ref: string): string {
  const id = resolveRef(replica, kind, ref, { deleted: true });
  replica.commands.restore(kind, id);
  return id;
}

export function mergeCode(replica: Replica, from: string, into: string): { readonly from: string; readonly into: string } {
  const ids = { from: resolveRef(replica, "code", from), into: resolveRef(replica, "code", into) };
  replica.commands.mergeCodes(ids.from, ids.into);
  return ids;
}

export function codeTree(replica: Replica): ReadonlyArray<TreeNode> {
  return replica.read.tree("codes");
}

export function codeName(replica: Replica, kind: CodeKind, id: string): string {
  return nameOf(replica.read.entity(kind, id));
}
