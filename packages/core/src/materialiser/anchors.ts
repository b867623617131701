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

/**
 * The current range of two anchors: numbers as they are; relative positions
 * resolved in `doc` (undefined if they cannot be resolved, e.g. the doc lacks
 * the ops they point into). `end` never precedes `start`.
 */
export function resolveAnchors(start: unknown, end: unknown, doc: Y.Doc | undefined): Range | undefined {
  if (typeof start === "number" && typeof end === "number") return { start, end: Math.max(start, end) };
  if (typeof start !== "string" || typeof end !== "string" || doc === undefined) return undefined;
  const s = resolveOne(start, doc);
  const e = resolveOne(end, doc);
  if (s === undefined || e === undefined) return undefined;
  return { start: s, end: Math.max(s, e) };
}

function resolveOne(anchor: string, doc: Y.Doc): number | undefined {
  try {
    const rpos = Y.decodeRelativePosition(Buffer.from(anchor, "base64"));
    const abs = Y.createAbsolutePositionFromRelativePosition(rpos, doc);
    return abs === null ? undefined : abs.index;
  } catch {
    // A malformed anchor resolves nowhere; the segment is simply not live.
    return undefined;
  }
}

function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("base64");
}
