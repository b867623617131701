/**
 * The outbox is the op log itself (docs/design.md §6): own ops (replica = ours)
 * without a row in `acks`. Nothing is queued in memory, so a restart loses
 * nothing and a re-push is harmless (pushes are idempotent by op id). The
 * `outbox` table is an index of exactly those ops' ids, kept by triggers
 * (schema.ts, versions 2 and 7), so reading it costs the backlog, not the
 * log. An id equals its op's HLC, so the table's key is HLC order.
 */
import type Database from "better-sqlite3";
import type { Op } from "../op/op.js";
import { selectOps } from "./ops-store.js";

/**
 * CROSS JOIN fixes the loop order: walk the outbox in key (HLC) order and
 * look each op up by id. Left to itself the planner scanned every op
 * (`o.replica = ?` has no index since migration 7) and sorted the result.
 */
export function outbox(db: Database.Database, replica: string, limit: number): ReadonlyArray<Op> {
  return selectOps(
    db,
    `SELECT o.op FROM outbox b CROSS JOIN ops o ON o.id = b.id WHERE o.replica = ? ORDER BY b.id LIMIT ?`,
    replica,
    Math.max(0, Math.floor(limit)),
  );
}

/**
 * Counts the outbox table alone: its triggers admit only this replica's ops,
 * so no join with `ops` is needed (the join cost ~100 ms on a 100k backlog,
 * paid by every `qc status`).
 */
export function outboxSize(db: Database.Database): number {
  return db.prepare("SELECT count(*) FROM outbox").pluck().get() as number;
}

/** Records acks for ids in the log; unknown ids are ignored. Caller owns the transaction. */
export function insertAcks(db: Database.Database, ids: ReadonlyArray<string>, at: string): void {
  const stmt = db.prepare("INSERT OR IGNORE INTO acks (id, acked_at) SELECT id, ? FROM ops WHERE id = ?");
  for (const id of ids) stmt.run(at, id);
}

export function clearAcks(db: Database.Database): void {
  db.exec("DELETE FROM acks");
}
