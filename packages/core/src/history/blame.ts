/**
 * `blame(type, id)`: for each field of an entity, the op(s) behind its
 * current value — who set it, when (written and received), with which op.
 *
 * Registers follow the merge rule (highest HLC wins), so the winner is the
 * highest-HLC write among the entity's `create` fields and `set` ops. Text
 * fields are the union of their updates: every `text` op that touched them.
 * `lifecycle` is the last create/delete/restore, `parent` the last move (a
 * create with a parent is the first move), `merged` the last merge, `links`
 * every link/unlink of a case.
 *
 * A move or merge that was skipped because it would close a cycle (merge
 * rule 5, reported as a `cycle-skipped` conflict) set nothing, so it is not
 * blamed: the parent comes from the latest move that took effect.
 */
import type Database from "better-sqlite3";
import type { EntityType, Op } from "../op/op.js";
import { listConflicts } from "../materialiser/index.js";
import { selectEntries, type HistoryEntry } from "./entries.js";
import type { OpTimes } from "./op-times.js";

/** The op behind a field: who, which op, and when it was written and received. */
export interface FieldBlame extends OpTimes {
  readonly opId: string;
  readonly actor: string;
  readonly hlc: string;
  readonly kind: Op["kind"];
}

/** Field name -> the op(s) behind its current value (one for registers, all for texts/links). */
export interface Blame {
  readonly [field: string]: ReadonlyArray<FieldBlame>;
}

export function blame(db: Database.Database, type: EntityType, id: string): Blame {
  const entries = selectEntries(db, { target: { type, id } });
  return blameEntries(entries, skippedMoves(db, id));
}

/** Pure: blame from the entity's history in HLC order; `skipped` = ids of moves/merges that took no effect. */
export function blameEntries(entries: ReadonlyArray<HistoryEntry>, skipped: ReadonlySet<string> = new Set()): Blame {
  const out: Record<string, Array<FieldBlame>> = {};
  for (const entry of entries) {
    if (skipped.has(entry.op.id)) continue;
    const blamed = fieldBlame(entry);
    const last = (field: string): void => {
      out[field] = [blamed];
    };
    const add = (field: string): void => {
      (out[field] ??= []).push(blamed);
    };
    blameOne(entry.op, last, add);
  }
  return out;
}

/** Which fields `op` sets (`last`: it replaces the blame) or adds to (`add`: texts, links, resolutions). */
function blameOne(op: Op, last: (field: string) => void, add: (field: string) => void): void {
  switch (op.kind) {
    case "create":
      last("lifecycle");
      for (const field of Object.keys(op.body.fields)) last(field);
      return;
    case "set":
      return last(op.body.field);
    case "text":
      return add(op.body.field);
    case "delete":
    case "restore":
      return last("lifecycle");
    case "move":
      return last("parent");
    case "merge":
      return last("merged");
    case "link":
    case "unlink":
      return add("links");
    case "resolve":
      return add("resolved");
  }
}

/** Moves/merges of `entity` skipped for closing a cycle (resolved conflicts included: still skipped). */
export function skippedMoves(db: Database.Database, entity: string): ReadonlySet<string> {
  const ids = listConflicts(db, { includeResolved: true })
    .filter((c) => c.kind === "cycle-skipped" && c.entity === entity)
    .map((c) => (c.detail as { readonly op?: unknown } | null)?.op)
    .filter((op): op is string => typeof op === "string");
  return new Set(ids);
}

function fieldBlame({ op, ...times }: HistoryEntry): FieldBlame {
  return { opId: op.id, actor: op.actor, hlc: op.hlc, kind: op.kind, ...times };
}
