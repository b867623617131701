/**
 * Views of the project that research/ and audit.ts do not give, for every
 * front door: one code with its segment count, and the passages that
 * contain a phrase across the text sources (the positions batch coding
 * takes). Reads only; entities are named by id or name (research/refs.ts).
 */
import { CommandError, type Replica } from "@qc/core";
import { resolveRef } from "./research/refs.js";

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

export interface PhraseMatch {
  readonly source: string;
  readonly sourceName: string;
  readonly start: number;
  readonly end: number;
  readonly text: string;
  /** Up to CONTEXT characters either side of the match. */
  readonly context: string;
}

const CONTEXT = 60;

export function viewCode(replica: Replica, ref: string): CodeView {
  const id = resolveRef(replica, "code", ref, { deleted: true });
  const code = replica.read.entity("code", id)!;
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

/** Every occurrence of `phrase` (case-insensitive) in the live text sources, in source then position order. */
export function searchText(replica: Replica, phrase: string, limit = 100): ReadonlyArray<PhraseMatch> {
  const needle = phrase.toLowerCase();
  if (needle.trim() === "")
    throw new CommandError({ reason: "invalid-value", message: "the phrase to search for is empty; give a word or phrase" });
  const out: Array<PhraseMatch> = [];
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
