/**
 * A memo saved from an editor that may be behind (a web page): the editor
 * sends the text it started from (`base`) and the text it shows now; the
 * change between them (one replaced region, found by common prefix and
 * suffix) is moved past whatever changed in the memo since `base` and
 * written as a text op. So a colleague's edit that arrived meanwhile is
 * kept, and concurrent edits on two replicas merge character-wise through
 * Yjs (DESIGN.md §4 rule 2). Returns the memo as it is after the edit.
 */
import { CommandError, type EntityType, type Replica } from "@qc/core";

interface Region {
  readonly from: number;
  /** End in the old text. */
  readonly to: number;
  readonly insert: string;
}

export function editMemoFrom(replica: Replica, type: EntityType, id: string, base: string, text: string): string {
  const entity = replica.read.entity(type, id);
  if (entity === undefined || !entity.live)
    throw new CommandError({
      reason: "not-found",
      message: `there is no ${type} ${JSON.stringify(id)} to write a memo on; it may have been deleted`,
    });
  const current = String(entity.fields["memo"] ?? "");
  const ours = changedRegion(base, text);
  if (ours.from === ours.to && ours.insert === "") return current;
  const theirs = changedRegion(base, current);
  const shift = (at: number): number =>
    at <= theirs.from ? at : at >= theirs.to ? at + current.length - base.length : theirs.from + theirs.insert.length;
  const from = shift(ours.from);
  const to = Math.max(from, shift(ours.to));
  replica.commands.editMemo(type, id, { replace: ours.insert, from, to });
  return String(replica.read.entity(type, id)?.fields["memo"] ?? "");
}

function changedRegion(before: string, after: string): Region {
  let prefix = 0;
  const max = Math.min(before.length, after.length);
  while (prefix < max && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix < max - prefix && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  return { from: prefix, to: before.length - suffix, insert: after.slice(prefix, after.length - suffix) };
}
