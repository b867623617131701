/**
 * `lastSteps`: which ops `undoLast(n)` undoes — the researcher's last n
 * edits, newest first, skipping undos, ops already undone and resolves.
 *
 * One edit can be several ops: a source import is a create and the text
 * ops that fill its content, a replace is a delete and an insert, a long
 * insert comes in chunks. The log has no command boundaries, so a step is
 * told by how a command stamps its ops: back to back, in one go, so their
 * HLCs are adjacent (same replica, same millisecond, counter + 1). A create
 * followed by adjacent text ops of its entity is one step, undone by
 * undoing the create; adjacent text ops of one field are one step. Two
 * commands stamped in the same millisecond on the same text would count as
 * one step, and a command whose stamping crossed a millisecond as two: both
 * need edits faster than a person makes them.
 */
import type Database from "better-sqlite3";
import { entityOps } from "../../history/index.js";
import { parseHlc } from "../../hlc.js";
import type { Op } from "../../op/op.js";
import { isUndone } from "./slots.js";
import { actorOpsBefore } from "../../op-log/ops-store.js";

const PAGE = 200;

/** Up to `n` steps; each lists the ops to undo, newest first. */
export function lastSteps(db: Database.Database, actor: string, n: number): Array<ReadonlyArray<Op>> {
  const steps: Array<Array<Op>> = [];
  let before: string | undefined;
  for (let page = actorOpsBefore(db, actor, before, PAGE); page.length > 0; page = actorOpsBefore(db, actor, before, PAGE)) {
    for (const op of page) {
      before = op.hlc;
      if (!isCandidate(db, op)) continue;
      const current = steps[steps.length - 1];
      if (current !== undefined && joins(current, op)) current.push(op);
      else if (steps.length === n) return steps.map(toUndo);
      else steps.push([op]);
    }
  }
  return steps.map(toUndo);
}

function isCandidate(db: Database.Database, op: Op): boolean {
  if (op.undoes !== undefined || op.kind === "resolve") return false;
  if (op.kind === "create" && op.target.type === "project") return false;
  return !isUndone(entityOps(db, op.target.type, op.target.id), op);
}

/** Whether the older `op` belongs to the step that `step` (newest first) started. */
function joins(step: ReadonlyArray<Op>, op: Op): boolean {
  const newest = step[0];
  const oldest = step[step.length - 1];
  if (newest === undefined || oldest === undefined || newest.kind !== "text" || oldest.kind !== "text") return false;
  if (op.target.type !== newest.target.type || op.target.id !== newest.target.id || !adjacent(op, oldest)) return false;
  return op.kind === "create" || (op.kind === "text" && op.body.field === newest.body.field);
}

/** Whether `later` was stamped right after `earlier` by the same clock. */
function adjacent(earlier: Op, later: Op): boolean {
  const a = parseHlc(earlier.hlc);
  const b = parseHlc(later.hlc);
  return a.replica === b.replica && a.wallMs === b.wallMs && b.counter === a.counter + 1;
}

/** A step headed by a create is undone by undoing the create alone (a delete). */
function toUndo(step: ReadonlyArray<Op>): ReadonlyArray<Op> {
  const oldest = step[step.length - 1];
  return oldest?.kind === "create" ? [oldest] : step;
}
