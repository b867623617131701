/**
 * Research edits beyond research/, for every front door: a code created
 * with a colour picked when none is given, and many segments coded in one
 * all-or-nothing batch (core's `commands.batch`; each range is checked
 * against the source's text by core). Every edit is by the replica's actor.
 */
import { CommandError, type Replica } from "@qc/core";
import { addCode } from "./research/codes.js";
import { resolveRef } from "./research/refs.js";

/** Colours given in turn to codes created without one. */
export const CODE_PALETTE = ["#3a7bd5", "#e4572e", "#17bebb", "#ffc914", "#76b041", "#9b5de5", "#f15bb5", "#00bbf9"] as const;

export interface NewCode {
  readonly name: string;
  readonly color?: string | undefined;
  /** A category's id or name. */
  readonly category?: string | undefined;
}

export interface SegmentToCode {
  /** Ids or names. */
  readonly code: string;
  readonly source: string;
  readonly start: number;
  readonly end: number;
  readonly memo?: string | undefined;
  readonly important?: boolean | undefined;
}

export function createCode(replica: Replica, input: NewCode): string {
  const color = input.color ?? CODE_PALETTE[replica.read.entities("code").length % CODE_PALETTE.length]!;
  return addCode(replica, { kind: "code", name: input.name, color, ...(input.category === undefined ? {} : { parent: input.category }) });
}

/** Codes every segment or none; returns the new segments' ids in input order. */
export function applyCodes(replica: Replica, segments: ReadonlyArray<SegmentToCode>): ReadonlyArray<string> {
  return replica.commands.batch((commands) =>
    segments.map((s, index) => {
      try {
        const code = resolveRef(replica, "code", s.code);
        const source = resolveRef(replica, "source", s.source);
        const id = commands.codeSegment({
          code,
          source,
          start: s.start,
          end: s.end,
          ...(s.important === undefined ? {} : { important: s.important }),
        });
        if (s.memo !== undefined && s.memo !== "") commands.editMemo("segment", id, { insert: s.memo, at: 0 });
        return id;
      } catch (error) {
        if (!(error instanceof CommandError)) throw error;
        throw new CommandError({ reason: error.reason, message: `operation #${index}: ${error.message}; nothing was coded` });
      }
    }),
  );
}
