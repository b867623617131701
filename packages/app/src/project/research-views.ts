/**
 * Views of the project that the replica's readers do not give in one call,
 * for every front door: a code with its segment count, a source with its
 * text and segments, passages that contain a phrase across the sources,
 * history filtered by entity, actor and time together.
 * Reads only; an unknown id is a CommandError "not-found" saying how to
 * find the right one.
 */
import { CommandError, type EntityType, type JsonValue, type Op, type Replica, type SegmentView } from "@qc/core";

export interface CodeView {
  readonly id: string;
  readonly name: string;
  readonly color: string;
  /** The category it is shown under (null: top level). */
  readonly category: string | null;
  readonly memo: string;
  /** Live segments coded with it, including those of codes merged into it. */
  readonly segments: number;
  readonly live: boolean;
  readonly mergedInto: string | null;
}

export interface SourceView {
  readonly id: string;
  readonly name: string;
  readonly kind: string;
  readonly folder: string | null;
  readonly text: string;
  readonly memo: string;
  readonly segments: ReadonlyArray<SegmentView>;
}

export interface Passage {
  readonly source: string;
  readonly sourceName: string;
  readonly start: number;
  readonly end: number;
  readonly text: string;
  /** Up to CONTEXT characters either side of the match. */
  readonly context: string;
}

const CONTEXT = 60;

export function viewCode(replica: Replica, id: string): CodeView {
  const code = requireEntity(replica, "code", id, "list_codes (or `qc codes`) shows the codes and their ids");
  return {
    id,
    name: String(code.fields["name"] ?? ""),
    color: String(code.fields["color"] ?? ""),
    category: code.effectiveParent ?? null,
    memo: String(code.fields["memo"] ?? ""),
    segments: replica.read.segments({ code: id }).length,
    live: code.live,
    mergedInto: code.mergedInto ?? null,
  };
}

export function viewSource(replica: Replica, id: string): SourceView {
  const source = requireEntity(replica, "source", id, "list_sources shows the sources and their ids");
  return {
    id,
    name: String(source.fields["name"] ?? ""),
    kind: String(source.fields["kind"] ?? ""),
    folder: source.effectiveParent ?? null,
    text: String(source.fields["content"] ?? ""),
    memo: String(source.fields["memo"] ?? ""),
    segments: replica.read.segments({ source: id }),
  };
}

/** Every occurrence of `phrase` (case-insensitive) in the live text sources, in source then position order. */
export function searchText(replica: Replica, phrase: string, limit = 100): ReadonlyArray<Passage> {
  const needle = phrase.toLowerCase();
  if (needle.trim() === "") throw new CommandError({ reason: "invalid-value", message: "the phrase to search for is empty; give a word or phrase" });
  const out: Array<Passage> = [];
  for (const source of replica.read.entities("source")) {
    if (source.fields["kind"] !== "text") continue;
    const text = String(source.fields["content"] ?? "");
    const haystack = text.toLowerCase();
    for (let at = haystack.indexOf(needle); at !== -1 && out.length < limit; at = haystack.indexOf(needle, at + 1)) {
      const end = at + phrase.length;
      out.push({
        source: source.id,
        sourceName: String(source.fields["name"] ?? ""),
        start: at,
        end,
        text: text.slice(at, end),
        context: text.slice(Math.max(0, at - CONTEXT), end + CONTEXT),
      });
    }
  }
  return out;
}

export interface HistoryFilter {
  readonly entity?: { readonly type: EntityType; readonly id: string } | undefined;
  readonly actor?: string | undefined;
  /** HLCs or ISO times, both inclusive. */
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  /** The newest `limit` ops (default 200). */
  readonly limit?: number | undefined;
}

/** Ops that match every given filter, oldest first. */
export function projectHistory(replica: Replica, filter: HistoryFilter): ReadonlyArray<Op> {
  const { history } = replica.read;
  const inTime = filter.from !== undefined || filter.to !== undefined ? new Set(history.between(filter.from, filter.to).map((op) => op.id)) : undefined;
  const base = filter.entity !== undefined ? history.ofEntity(filter.entity.type, filter.entity.id) : filter.actor !== undefined ? history.byActor(filter.actor) : history.between(filter.from, filter.to);
  const ops = base.filter((op) => (filter.actor === undefined || op.actor === filter.actor) && (inTime === undefined || inTime.has(op.id)));
  return ops.slice(-(filter.limit ?? 200));
}

/** The project as of `at` (an HLC or an ISO time), parsed from the replica's canonical state. */
export function stateAt(replica: Replica, at: string): JsonValue {
  return JSON.parse(replica.read.stateAt(at)) as JsonValue;
}

function requireEntity(replica: Replica, type: EntityType, id: string, hint: string) {
  const entity = replica.read.entity(type, id);
  if (entity === undefined) throw new CommandError({ reason: "not-found", message: `there is no ${type} ${JSON.stringify(id)}; ${hint}` });
  return entity;
}
