/**
 * Text edits as Yjs updates (docs/design.md §4 rule 2). An edit is applied to the
 * field's current merged doc and only the new structs are emitted, as one or
 * more `text` ops: an insert longer than TEXT_CHUNK is split so every op body
 * stays under MAX_BODY_BYTES (256 KiB) whatever the characters.
 */
import * as Y from "yjs";
import type { EntityType } from "../op/op.js";
import type { CommandContext, OpDraft } from "./context.js";
import { openText, requireLive, yjsClientId } from "./read.js";
import { checkIndex } from "./validate.js";
import { fail } from "./errors.js";

/**
 * UTF-16 units per text op. Worst case 3 UTF-8 bytes per unit -> 120 KB,
 * base64 -> 160 KB, plus Yjs framing: well under 256 KiB.
 */
export const TEXT_CHUNK = 40_000;

export type TextEdit =
  | { readonly insert: string; readonly at: number }
  | { readonly delete: number; readonly at: number }
  | { readonly replace: string; readonly from: number; readonly to: number };

/** Applies `edit` to a text field of a live entity; returns the ops written. */
export function editText(ctx: CommandContext, type: EntityType, id: string, field: string, edit: TextEdit): number {
  requireLive(ctx.db, type, id);
  const doc = openText(ctx.db, type, id, field, ctx.replica);
  try {
    const drafts = editDrafts(doc, type, id, field, edit);
    ctx.emit(drafts);
    return drafts.length;
  } finally {
    doc.destroy();
  }
}

/** `text` ops that fill a new entity's empty text field with `text`. */
export function initialTextDrafts(replica: string, type: EntityType, id: string, field: string, text: string): ReadonlyArray<OpDraft> {
  const doc = new Y.Doc();
  doc.clientID = yjsClientId(replica);
  try {
    return editDrafts(doc, type, id, field, { insert: text, at: 0 });
  } finally {
    doc.destroy();
  }
}

/** The `text` ops for `edit` on `doc` (which is changed in place). */
export function editDrafts(doc: Y.Doc, type: EntityType, id: string, field: string, edit: TextEdit): ReadonlyArray<OpDraft> {
  const text = doc.getText(field);
  const length = text.length;
  const drafts: Array<OpDraft> = [];
  const step = (change: () => void): void => {
    const before = Y.encodeStateVector(doc);
    doc.transact(change);
    const update = Buffer.from(Y.encodeStateAsUpdate(doc, before)).toString("base64");
    drafts.push({ kind: "text", target: { type, id }, body: { field, update } });
  };
  if ("insert" in edit) {
    insertChunks(step, text, checkIndex(edit.at, length, "insert position"), edit.insert);
  } else if ("delete" in edit) {
    const at = checkIndex(edit.at, length, "delete position");
    const n = checkIndex(edit.delete, length - at, "delete length");
    if (n > 0) step(() => text.delete(at, n));
  } else {
    const from = checkIndex(edit.from, length, "replace start");
    const to = checkIndex(edit.to, length, "replace end");
    if (to < from) fail("out-of-range", `replace end ${to} is before its start ${from}`);
    if (to > from) step(() => text.delete(from, to - from));
    insertChunks(step, text, from, edit.replace);
  }
  return drafts;
}

function insertChunks(step: (change: () => void) => void, text: Y.Text, at: number, content: string): void {
  if (typeof content !== "string") fail("invalid-value", "text to insert must be a string");
  let offset = 0;
  while (offset < content.length) {
    let end = Math.min(offset + TEXT_CHUNK, content.length);
    // Never split a surrogate pair across two ops.
    if (end < content.length && isHighSurrogate(content.charCodeAt(end - 1))) end--;
    const piece = content.slice(offset, end);
    const pos = at + offset;
    step(() => text.insert(pos, piece));
    offset = end;
  }
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}
