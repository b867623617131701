/**
 * Reading ops for history: each op with its times (op-times.ts), its receive
 * time joined from op_receipts.
 */
import type Database from "better-sqlite3";
import type { EntityType, Op } from "../op/op.js";
import { selectOps } from "../op-log/ops-store.js";
import { opTimes, type OpTimes } from "./op-times.js";

/** One op of the history, with its times. */
export interface HistoryEntry extends OpTimes {
  readonly op: Op;
}

/** The ops that target one entity, oldest first, without their times (for undo and blame). */
export function entityOps(db: Database.Database, type: EntityType, id: string): ReadonlyArray<Op> {
  return selectOps(db, "SELECT op FROM ops WHERE target_type = ? AND target_id = ? ORDER BY hlc", type, id);
}

/** Ops matching `where` (over `ops o`), HLC order, each with its receive time if it has one. */
export function selectEntries(db: Database.Database, where: string, ...params: ReadonlyArray<unknown>): ReadonlyArray<HistoryEntry> {
  const rows = db
    .prepare(`SELECT o.op, r.received_at FROM ops o LEFT JOIN op_receipts r ON r.id = o.id WHERE ${where} ORDER BY o.hlc`)
    .all(...params) as ReadonlyArray<{ op: string; received_at: number | null }>;
  return rows.map((row) => {
    const op = JSON.parse(row.op) as Op;
    return { op, ...opTimes(op.hlc, row.received_at) };
  });
}
