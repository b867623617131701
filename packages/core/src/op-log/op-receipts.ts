/**
 * Op receipts: when the server received each op (docs/spec/op-log.md,
 * `op_receipts`, schema version 5), as pull reported it.
 *
 * An op's HLC says when its author wrote it, and an author's clock, or an
 * offline laptop, can make that long ago. The receive time is the server's
 * own clock at push: when the team could first see the op. It is kept beside
 * the op, never in it (the op and its hash stay as written), and the first
 * receipt of an id wins: the server stores an op once, so a later page, or
 * a re-pull from a new stream after `resetSync`, does not move it.
 */
import type Database from "better-sqlite3";
import { hlcKeyOf } from "./hlc-key.js";

export interface OpReceipt {
  readonly id: string;
  /** Server time, ms since epoch. */
  readonly receivedAt: number;
}

/**
 * Records receipts (first one per id wins). A receive time that is not a
 * whole, non-negative ms count (a confused or hostile server) is dropped:
 * the op then shows as not yet received, never with a made-up time. So is a
 * receipt for an id that is not an HLC: no op can have that id.
 * Caller owns the transaction.
 */
export function insertReceipts(db: Database.Database, receipts: ReadonlyArray<OpReceipt>): void {
  const stmt = db.prepare("INSERT OR IGNORE INTO op_receipts (hlc, received_at) VALUES (?, ?)");
  for (const r of receipts) {
    const key = hlcKeyOf(r.id);
    if (key !== undefined && isReceiveTime(r.receivedAt)) stmt.run(key, r.receivedAt);
  }
}

export function isReceiveTime(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}
