/**
 * Coded segments: code a stretch of a source with a code, recode, mark
 * important, delete/restore (common.ts), memo (editMemo).
 *
 * For text sources the researcher gives character indexes into the current
 * text; they become Yjs relative positions (base64) so the segment follows
 * later edits (merge rule 8). Other kinds take numbers as they are
 * (page/region, milliseconds). Source, start and end never change.
 */
import type { CommandContext } from "./context.js";
import { encodeTextAnchors } from "../materialiser/anchors.js";
import { setField } from "./common.js";
import { fail } from "./errors.js";
import { fieldOf, openText, requireLive } from "./read.js";
import { checkIndex } from "./validate.js";

export interface CodeSegmentInput {
  readonly code: string;
  readonly source: string;
  /** Text sources: character index of the first character; others: a number. */
  readonly start: number;
  /** Text sources: index after the last character (exclusive). */
  readonly end: number;
  readonly important?: boolean;
}

export function codeSegment(ctx: CommandContext, input: CodeSegmentInput): string {
  requireLive(ctx.db, "code", input.code);
  requireLive(ctx.db, "source", input.source);
  const anchors = fieldOf(ctx.db, "source", input.source, "kind") === "text" ? textAnchors(ctx, input) : numberAnchors(input);
  const id = ctx.newId();
  const fields = { code: input.code, source: input.source, ...anchors, important: input.important ?? false };
  ctx.emit([{ kind: "create", target: { type: "segment", id }, body: { fields } }]);
  return id;
}

export function recodeSegment(ctx: CommandContext, segment: string, code: string): void {
  requireLive(ctx.db, "segment", segment);
  requireLive(ctx.db, "code", code);
  setField(ctx, "segment", segment, "code", code);
}

export function markImportant(ctx: CommandContext, segment: string, important: boolean): void {
  requireLive(ctx.db, "segment", segment);
  if (typeof important !== "boolean") fail("invalid-value", "important must be true or false");
  setField(ctx, "segment", segment, "important", important);
}

function textAnchors(ctx: CommandContext, input: CodeSegmentInput): { start: string; end: string } {
  const doc = openText(ctx.db, "source", input.source, "content", ctx.replica);
  try {
    const length = doc.getText("content").length;
    const start = checkIndex(input.start, length, "segment start");
    const end = checkIndex(input.end, length, "segment end");
    if (end <= start) fail("out-of-range", `segment end ${end} must be after its start ${start} (a segment holds at least one character)`);
    return encodeTextAnchors(doc, "content", start, end);
  } finally {
    doc.destroy();
  }
}

function numberAnchors(input: CodeSegmentInput): { start: number; end: number } {
  const ok = (n: unknown): n is number => typeof n === "number" && Number.isFinite(n) && n >= 0;
  if (!ok(input.start) || !ok(input.end) || input.end < input.start) {
    fail(
      "out-of-range",
      `segment of a media source needs 0 <= start <= end (page/region or milliseconds), got ${input.start}..${input.end}`,
    );
  }
  return { start: input.start, end: input.end };
}
