/**
 * Overlapping coded segments as non-overlapping runs of text: the text is
 * cut at every segment start and end, and each run lists the segments that
 * cover it (none, one, or several), so a passage coded twice is drawn once
 * with both codes.
 */
export interface Span {
  readonly id: string;
  readonly start: number;
  readonly end: number;
}

export interface Run<S extends Span> {
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly segments: ReadonlyArray<S>;
}

export function toRuns<S extends Span>(text: string, segments: ReadonlyArray<S>): ReadonlyArray<Run<S>> {
  const cuts = new Set([0, text.length]);
  for (const s of segments) {
    if (s.end <= s.start) continue;
    cuts.add(Math.max(0, Math.min(text.length, s.start)));
    cuts.add(Math.max(0, Math.min(text.length, s.end)));
  }
  const points = [...cuts].sort((a, b) => a - b);
  const runs: Array<Run<S>> = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const start = points[i]!;
    const end = points[i + 1]!;
    runs.push({
      start,
      end,
      text: text.slice(start, end),
      segments: segments.filter((s) => s.start <= start && s.end >= end && s.end > s.start),
    });
  }
  return runs;
}
