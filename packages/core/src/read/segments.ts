/**
 * Coded segments as researchers read them: the effective code, the source,
 * the current range and the passage it covers, the coder (the actor of the
 * segment's `create` op, docs/design.md §2), memo and the important flag.
 * Only live segments are listed (their code and source are live and their
 * anchors resolve), so every listed segment has a range and a text.
 */
import type { EntityState } from "../materialiser/read.js";

export interface SegmentFilter {
  /** An effective code: segments of codes merged into it are included. */
  readonly code?: string;
  readonly source?: string;
  readonly coder?: string;
}

export interface SegmentView {
  readonly id: string;
  readonly code: string;
  readonly source: string;
  readonly start: number;
  readonly end: number;
  /** The anchored text was removed (docs/design.md §4 rule 8). */
  readonly collapsed: boolean;
  /** The passage of the source's content the segment covers now. */
  readonly text: string;
  readonly coder: string;
  readonly memo: string;
  readonly important: boolean;
}

export interface SegmentSources {
  readonly segments: ReadonlyArray<EntityState>;
  readonly sourceText: (source: string) => string;
  readonly coderOf: (segment: string) => string;
}

export function listSegmentViews(from: SegmentSources, filter: SegmentFilter = {}): ReadonlyArray<SegmentView> {
  const out: Array<SegmentView> = [];
  for (const segment of from.segments) {
    const view = toView(segment, from);
    if (view !== undefined && matches(view, filter)) out.push(view);
  }
  return out.sort((a, b) => a.source.localeCompare(b.source) || a.start - b.start || a.id.localeCompare(b.id));
}

function toView(segment: EntityState, from: SegmentSources): SegmentView | undefined {
  const source = segment.fields["source"];
  if (segment.range === undefined || typeof source !== "string" || typeof segment.effectiveCode !== "string") return undefined;
  const { start, end, collapsed } = segment.range;
  const memo = segment.fields["memo"];
  return {
    id: segment.id,
    code: segment.effectiveCode,
    source,
    start,
    end,
    collapsed,
    text: from.sourceText(source).slice(start, end),
    coder: from.coderOf(segment.id),
    memo: typeof memo === "string" ? memo : "",
    important: segment.fields["important"] === true,
  };
}

function matches(view: SegmentView, filter: SegmentFilter): boolean {
  return (
    (filter.code === undefined || view.code === filter.code) &&
    (filter.source === undefined || view.source === filter.source) &&
    (filter.coder === undefined || view.coder === filter.coder)
  );
}
