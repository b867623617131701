/**
 * Research edits that take more than one core command or a default, for
 * every front door: a code created with a default colour and a category
 * given by id or name, many segments coded in one all-or-nothing batch
 * (each range checked against the source's text by core), and a memo
 * written whole. Every edit is by the replica's actor.
 */
import { CommandError, type EntityType, type Replica } from "@qc/core";

/** Colours given in turn to codes created without one. */
export const CODE_PALETTE = ["#3a7bd5", "#e4572e", "#17bebb", "#ffc914", "#76b041", "#9b5de5", "#f15bb5", "#00bbf9"] as const;

export interface NewCode {
  readonly name: string;
  readonly color?: string | undefined;
  /** A category's id or its exact name. */
  readonly category?: string | undefined;
}

export interface SegmentToCode {
  readonly code: string;
  readonly source: string;
  readonly start: number;
  readonly end: number;
  readonly memo?: string | undefined;
  readonly important?: boolean | undefined;
}

export function createCode(replica: Replica, input: NewCode): string {
  const color = input.color ?? CODE_PALETTE[replica.read.entities("code").length % CODE_PALETTE.length]!;
  const parent = input.category === undefined ? null : findCategory(replica, input.category);
  return replica.commands.createCode({ name: input.name, color, parent });
}

/** Codes every segment or none; returns the new segments' ids in input order. */
export function applyCodes(replica: Replica, segments: ReadonlyArray<SegmentToCode>): ReadonlyArray<string> {
  return replica.commands.batch((commands) =>
    segments.map((s, index) => {
      try {
        const id = commands.codeSegment({ code: s.code, source: s.source, start: s.start, end: s.end, ...(s.important === undefined ? {} : { important: s.important }) });
        if (s.memo !== undefined && s.memo !== "") commands.editMemo("segment", id, { insert: s.memo, at: 0 });
        return id;
      } catch (error) {
        if (!(error instanceof CommandError)) throw error;
        throw new CommandError({ reason: error.reason, message: `operation #${index}: ${error.message}; nothing was coded` });
      }
    }),
  );
}

/** Replaces the memo of an entity with `text`. */
export function writeMemo(replica: Replica, type: EntityType, id: string, text: string): void {
  const current = replica.read.entity(type, id)?.fields["memo"];
  const length = typeof current === "string" ? current.length : 0;
  replica.commands.editMemo(type, id, { replace: text, from: 0, to: length });
}

function findCategory(replica: Replica, idOrName: string): string {
  if (replica.read.entity("category", idOrName)?.live === true) return idOrName;
  const named = replica.read.entities("category").filter((c) => c.fields["name"] === idOrName.trim());
  if (named.length === 1) return named[0]!.id;
  const why = named.length === 0 ? "there is no category with that id or name" : `${named.length} categories have that name`;
  throw new CommandError({ reason: "not-found", message: `category ${JSON.stringify(idOrName)}: ${why}; list_codes shows the categories and their ids` });
}
