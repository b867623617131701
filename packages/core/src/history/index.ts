/**
 * History: the op log read as an audit trail (docs/design.md intro). Who changed
 * what and when — ops of one entity, one actor or a time range, oldest first
 * (HLC order) — and `blame`, which op set each field's current value. Each
 * entry carries when the op was written and when the server received it
 * (op-times.ts). "State at T" is `stateAt` (state-at.ts).
 */
import type Database from "better-sqlite3";
import type { EntityType } from "../op/op.js";
import { blame, type Blame } from "./blame.js";
import { selectEntries, type HistoryEntry } from "./entries.js";
import { toHlcBound, toHlcLowerBound, type PointInTime } from "./state-at.js";

export interface History {
  /** Ops that target the entity, oldest first. */
  readonly ofEntity: (type: EntityType, id: string) => ReadonlyArray<HistoryEntry>;
  /** Ops made by one researcher, oldest first. */
  readonly byActor: (actor: string) => ReadonlyArray<HistoryEntry>;
  /** Ops from `from` to `to` (both inclusive; HLCs or wall times; undefined = open end), oldest first. */
  readonly between: (from: PointInTime | undefined, to: PointInTime | undefined) => ReadonlyArray<HistoryEntry>;
  readonly blame: (type: EntityType, id: string) => Blame;
}

export function makeHistory(db: Database.Database): History {
  return {
    ofEntity: (type, id) => selectEntries(db, { target: { type, id } }),
    byActor: (actor) => selectEntries(db, { actor }),
    between: (from, to) =>
      selectEntries(db, {
        from: from === undefined ? undefined : toHlcLowerBound(from),
        to: to === undefined ? undefined : toHlcBound(to),
      }),
    blame: (type, id) => blame(db, type, id),
  };
}

export type { Blame, FieldBlame } from "./blame.js";
export { entityOps, type HistoryEntry } from "./entries.js";
export { RECEIVED_LATE_AFTER_MS, type OpTimes } from "./op-times.js";
export { stateAt, toHlcBound, toHlcLowerBound, type PointInTime } from "./state-at.js";
