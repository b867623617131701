/**
 * History: the op log read as an audit trail (docs/design.md intro). Who changed
 * what and when — ops of one entity, one actor or a time range, oldest first
 * (HLC order) — and `blame`, which op set each field's current value.
 * "State at T" is `stateAt` (state-at.ts).
 */
import type Database from "better-sqlite3";
import type { EntityType, Op } from "../op/op.js";
import { selectOps } from "../op-log/ops-store.js";
import { blame, type Blame } from "./blame.js";
import { toHlcBound, toHlcLowerBound, type PointInTime } from "./state-at.js";

export interface History {
  /** Ops that target the entity, oldest first. */
  readonly ofEntity: (type: EntityType, id: string) => ReadonlyArray<Op>;
  /** Ops made by one researcher, oldest first. */
  readonly byActor: (actor: string) => ReadonlyArray<Op>;
  /** Ops from `from` to `to` (both inclusive; HLCs or wall times; undefined = open end), oldest first. */
  readonly between: (from: PointInTime | undefined, to: PointInTime | undefined) => ReadonlyArray<Op>;
  readonly blame: (type: EntityType, id: string) => Blame;
}

export function makeHistory(db: Database.Database): History {
  return {
    ofEntity: (type, id) => selectOps(db, "SELECT op FROM ops WHERE target_type = ? AND target_id = ? ORDER BY hlc", type, id),
    byActor: (actor) => selectOps(db, "SELECT op FROM ops WHERE actor = ? ORDER BY hlc", actor),
    between: (from, to) =>
      selectOps(
        db,
        "SELECT op FROM ops WHERE hlc >= ? AND hlc <= ? ORDER BY hlc",
        from === undefined ? "" : toHlcLowerBound(from),
        to === undefined ? "\uffff" : toHlcBound(to),
      ),
    blame: (type, id) => blame(db, type, id),
  };
}

export type { Blame, FieldBlame } from "./blame.js";
export { stateAt, toHlcBound, toHlcLowerBound, type PointInTime } from "./state-at.js";
