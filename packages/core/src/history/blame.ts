/**
 * `blame(type, id)`: for each field of an entity, the op(s) behind its
 * current value — who set it, when, with which op.
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
import { selectOps } from "../op-log/ops-store.js";

export interface FieldBlame {
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
  const ops = selectOps(db, "SELECT op FROM ops WHERE target_type = ? AND target_id = ? ORDER BY hlc", type, id);
  return blameOps(ops, skippedMoves(db, id));
}

/** Pure: blame from the entity's ops in HLC order; `skipped` = ids of moves/merges that took no effect. */
export function blameOps(ops: ReadonlyArray<Op>, skipped: ReadonlySet<string> = new Set()): Blame {
  const out: Record<string, Array<FieldBlame>> = {};
  const last = (field: string, op: Op): void => {
    out[field] = [entry(op)];
  };
  const add = (field: string, op: Op): void => {
    (out[field] ??= []).push(entry(op));
  };
  for (const op of ops) if (!skipped.has(op.id)) blameOne(op, last, add);
  return out;
}

function blameOne(op: Op, last: (f: string, op: Op) => void, add: (f: string, op: Op) => void): void {
  switch (op.kind) {
    case "create":
      last("lifecycle", op);
      for (const field of Object.keys(op.body.fields)) last(field, op);
      return;
    case "set":
      return last(op.body.field, op);
    case "text":
      return add(op.body.field, op);
    case "delete":
    case "restore":
      return last("lifecycle", op);
    case "move":
      return last("parent", op);
    case "merge":
      return last("merged", op);
    case "link":
    case "unlink":
      return add("links", op);
    case "resolve":
      return add("resolved", op);
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

function entry(op: Op): FieldBlame {
  return { opId: op.id, actor: op.actor, hlc: op.hlc, kind: op.kind };
}
