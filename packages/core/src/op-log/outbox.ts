/**
 * The outbox is the op log itself (docs/design.md §6): own ops (replica = ours)
 * without a row in `acks`. Nothing is queued in memory, so a restart loses
 * nothing and a re-push is harmless (pushes are idempotent by op id). The
 * `outbox` table is an index of exactly those ops' keys, kept by triggers
 * (schema.ts, versions 2, 7 and 8), so reading it costs the backlog, not the
 * log. Its key is the op's 16-byte HLC key (hlc-key.ts), so it is HLC order.
 */
import type Database from "better-sqlite3";
import type { Op } from "../op/op.js";
import { hlcKeyOf } from "./hlc-key.js";
import { selectOps } from "./ops-store.js";

/**
 * CROSS JOIN fixes the loop order: walk the outbox in key (HLC) order and
 * look each op up by key. The triggers admit only this replica's ops, so no
 * filter on the replica is needed.
 */
export function outbox(db: Database.Database, limit: number): ReadonlyArray<Op> {
  return selectOps(db, "outbox b CROSS JOIN ops o ON o.hlc = b.hlc", "ORDER BY b.hlc LIMIT ?", Math.max(0, Math.floor(limit)));
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
  const stmt = db.prepare("INSERT OR IGNORE INTO acks (hlc, acked_at) SELECT hlc, ? FROM ops WHERE hlc = ?");
  for (const id of ids) {
    const key = hlcKeyOf(id);
    if (key !== undefined) stmt.run(at, key);
  }
}

export function clearAcks(db: Database.Database): void {
  db.exec("DELETE FROM acks");
}
