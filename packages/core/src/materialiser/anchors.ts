/**
 * Segment anchors (DESIGN.md §3, §4 rule 8). For text sources, `start` and
 * `end` are base64 Yjs relative positions into the source's `content`
 * (Y.Doc layout of text.ts: `doc.getText("content")`); for other kinds they
 * are plain numbers (page/region, milliseconds).
 *
 * Convention (`encodeTextAnchors`): `start` is associated with the first
 * character of the segment (assoc 0) and `end` with its last character
 * (assoc -1), so text typed at either boundary stays outside the segment and
 * removing all of its characters collapses it (start === end).
 */
import * as Y from "yjs";

export interface Range {
  readonly start: number;
  readonly end: number;
}

/** Anchors for the characters [start, end) of `doc.getText(field)`. */
export function encodeTextAnchors(doc: Y.Doc, field: string, start: number, end: number): { start: string; end: string } {
  const text = doc.getText(field);
  const a = Y.createRelativePositionFromTypeIndex(text, start, 0);
  const b = Y.createRelativePositionFromTypeIndex(text, end, -1);
  return { start: toBase64(Y.encodeRelativePosition(a)), end: toBase64(Y.encodeRelativePosition(b)) };
}

/** Resolves a base64 relative position to an index (undefined: cannot be resolved). */
export type AnchorResolver = (anchor: string) => number | undefined;

/**
 * The current range of two anchors: numbers as they are; relative positions
 * resolved with `resolve` (undefined if they cannot be resolved, e.g. the doc
 * lacks the ops they point into). `end` never precedes `start`.
 */
export function resolveAnchors(start: unknown, end: unknown, resolve: AnchorResolver | undefined): Range | undefined {
  if (typeof start === "number" && typeof end === "number") return { start, end: Math.max(start, end) };
  if (typeof start !== "string" || typeof end !== "string" || resolve === undefined) return undefined;
  const s = resolve(start);
  const e = resolve(end);
  if (s === undefined || e === undefined) return undefined;
  return { start: s, end: Math.max(s, e) };
}

/**
 * A resolver for anchors into `doc.getText(field)` that walks the text's
 * items once (Yjs's own resolution walks them per anchor: O(segments x
 * items) per edit of a long, much-coded source). Same result as
 * `Y.createAbsolutePositionFromRelativePosition`, which it falls back to for
 * anything unusual (redone items, positions in another type).
 *
 * An anchor counts only if it resolves inside that text (DESIGN.md §4):
 * one that resolves into another root or a nested type (a hostile text op
 * can put items there), or past the end of the plain text, resolves to
 * undefined, and its segment is not live.
 */
export function makeAnchorResolver(doc: Y.Doc, field: string): AnchorResolver {
  const text = doc.getText(field);
  const before = new Map<Y.Item, number>();
  let index = 0;
  for (let n = text._start; n !== null; n = n.right) {
    before.set(n, index);
    if (!n.deleted && n.countable) index += n.length;
  }
  const length = text.toString().length;
  return (anchor) => {
    try {
      const rpos = Y.decodeRelativePosition(Buffer.from(anchor, "base64"));
      const at = resolveWithIndex(rpos, doc, before) ?? resolveSlow(rpos, doc, text);
      return at !== undefined && at <= length ? at : undefined;
    } catch {
      // A malformed anchor resolves nowhere; the segment is simply not live.
      return undefined;
    }
  };
}

/** The fast path; null when it does not apply (then the slow path decides). */
function resolveWithIndex(rpos: Y.RelativePosition, doc: Y.Doc, before: Map<Y.Item, number>): number | undefined | null {
  const id = rpos.item;
  if (id === null) return null;
  if (Y.getState(doc.store, id.client) <= id.clock) return undefined;
  const right = Y.getItem(doc.store, id);
  if (!(right instanceof Y.Item) || right.redone !== null) return null;
  const start = before.get(right);
  if (start === undefined) return null;
  const diff = id.clock - right.id.clock;
  return start + (right.deleted || !right.countable ? 0 : diff + (rpos.assoc >= 0 ? 0 : 1));
}

function resolveSlow(rpos: Y.RelativePosition, doc: Y.Doc, text: Y.Text): number | undefined {
  const abs = Y.createAbsolutePositionFromRelativePosition(rpos, doc);
  return abs === null || abs.type !== text ? undefined : abs.index;
}

function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("base64");
}
