/**
 * Memos for the front doors: read one, or replace it whole (the edit is a
 * Yjs replace of the current memo, so a peer's concurrent typing merges).
 * Entities with a memo: the project, categories, codes, sources, segments
 * and cases; segments are named by id, the others by id or name.
 */
import { CommandError, type EntityType, type Replica } from "@qc/core";
import { resolveRef } from "./refs.js";

export const MEMO_TYPES = ["project", "category", "code", "source", "segment", "case"] as const;
export type MemoType = (typeof MEMO_TYPES)[number];

export function readMemo(replica: Replica, type: string, ref: string): { readonly id: string; readonly memo: string } {
  const id = memoTarget(replica, type, ref);
  const memo = replica.read.entity(type as EntityType, id)?.fields["memo"];
  return { id, memo: typeof memo === "string" ? memo : "" };
}

export function writeMemo(replica: Replica, type: string, ref: string, text: string): string {
  const { id, memo } = readMemo(replica, type, ref);
  if (type === "project") replica.commands.editProjectMemo({ replace: text, from: 0, to: memo.length });
  else replica.commands.editMemo(type as EntityType, id, { replace: text, from: 0, to: memo.length });
  return id;
}

function memoTarget(replica: Replica, type: string, ref: string): string {
  if (!(MEMO_TYPES as ReadonlyArray<string>).includes(type)) {
    throw new CommandError({ reason: "invalid-value", message: `a ${type} has no memo; memos belong to ${MEMO_TYPES.join(", ")}` });
  }
  if (type === "project") return replica.project;
  if (type === "segment") {
    if (replica.read.entity("segment", ref) === undefined)
      throw new CommandError({ reason: "not-found", message: `no segment with id ${ref}; qc segments lists them` });
    return ref;
  }
  return resolveRef(replica, type as EntityType, ref);
}
