/**
 * Reading ops for history: each op with its times (op-times.ts), its receive
 * time from op_receipts.
 */
import type Database from "better-sqlite3";
import type { EntityType, Op } from "../op/op.js";
import { opsMatching, opsWithReceipts, type OpFilter } from "../op-log/ops-store.js";
import { opTimes, type OpTimes } from "./op-times.js";

/** One op of the history, with its times. */
export interface HistoryEntry extends OpTimes {
  readonly op: Op;
}

/** The ops that target one entity, oldest first, without their times (for undo and blame). */
export function entityOps(db: Database.Database, type: EntityType, id: string): ReadonlyArray<Op> {
  return opsMatching(db, { target: { type, id } });
}

/** Ops `filter` selects, HLC order, each with its receive time if it has one. */
export function selectEntries(db: Database.Database, filter: OpFilter): ReadonlyArray<HistoryEntry> {
  return opsWithReceipts(db, filter).map(({ op, receivedAt }) => ({ op, ...opTimes(op.hlc, receivedAt) }));
}
