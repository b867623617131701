/**
 * The op log's local position: the `seq` of the newest row this file holds
 * (0 for an empty log), and the ops stored after a position, in the order
 * they were stored. `seq` grows with every insert by any process on the
 * file (own edits, ingested peers' ops), so a front door can tell "what
 * changed since N" by comparing positions (the web server's event ids).
 * Never influences materialised state.
 */
import type Database from "better-sqlite3";
import type { Op } from "../op/op.js";
import { opsBySeq } from "../op-log/ops-store.js";

export function logPosition(db: Database.Database): number {
  return (db.prepare("SELECT COALESCE(MAX(seq), 0) FROM ops").pluck().get() as number) ?? 0;
}

/** Up to `limit` ops stored after `position`, oldest first, each with its position. */
export function opsSince(
  db: Database.Database,
  position: number,
  limit: number,
): ReadonlyArray<{ readonly position: number; readonly op: Op }> {
  return opsBySeq(db, position, limit).map((r) => ({ position: r.seq, op: r.op }));
}
