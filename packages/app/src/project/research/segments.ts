/**
 * Coded segments for the front doors: code a character range or a quoted
 * passage of a source, memo, important, recode, delete, restore, and list
 * by code, source or coder. A quote must occur exactly once in the source
 * (otherwise the researcher gives a range); its match is exact.
 */
import { CommandError, type Replica, type SegmentView } from "@qc/core";
import { resolveRef } from "./refs.js";

export type Passage = { readonly start: number; readonly end: number } | { readonly quote: string };

export interface CodePassageInput {
  readonly code: string;
  readonly source: string;
  readonly passage: Passage;
  readonly important?: boolean;
}

export function codePassage(replica: Replica, input: CodePassageInput): string {
  const code = resolveRef(replica, "code", input.code);
  const source = resolveRef(replica, "source", input.source);
  const { start, end } = "quote" in input.passage ? findQuote(replica, source, input.passage.quote) : input.passage;
  return replica.commands.codeSegment({
    code,
    source,
    start,
    end,
    ...(input.important === undefined ? {} : { important: input.important }),
  });
}

export interface SegmentQuery {
  readonly code?: string;
  readonly source?: string;
  readonly coder?: string;
}

export function listSegments(replica: Replica, query: SegmentQuery = {}): ReadonlyArray<SegmentView> {
  return replica.read.segments({
    ...(query.code === undefined ? {} : { code: resolveRef(replica, "code", query.code) }),
    ...(query.source === undefined ? {} : { source: resolveRef(replica, "source", query.source) }),
    ...(query.coder === undefined ? {} : { coder: query.coder }),
  });
}

export function markImportant(replica: Replica, segment: string, important: boolean): void {
  replica.commands.markImportant(segment, important);
}

export function recodeSegment(replica: Replica, segment: string, code: string): void {
  replica.commands.recodeSegment(segment, resolveRef(replica, "code", code));
}

function findQuote(replica: Replica, source: string, quote: string): { start: number; end: number } {
  const content = replica.read.entity("source", source)?.fields["content"];
  const text = typeof content === "string" ? content : "";
  const at = quote === "" ? -1 : text.indexOf(quote);
  if (at < 0) {
    throw new CommandError({
      reason: "out-of-range",
      message: `the passage ${JSON.stringify(quote)} is not in the source's text; check it (the match is exact) or give a range`,
    });
  }
  if (text.indexOf(quote, at + 1) >= 0) {
    throw new CommandError({
      reason: "invalid-value",
      message: `the passage ${JSON.stringify(quote)} occurs more than once in the source; quote more of it or give a range`,
    });
  }
  return { start: at, end: at + quote.length };
}
