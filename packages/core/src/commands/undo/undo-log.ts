/**
 * The op-log reads undo needs besides an entity's ops (`makeHistory`): one
 * op by id, and one researcher's ops newest first, a page at a time.
 */
import type Database from "better-sqlite3";
import { selectOps } from "../../op-log/ops-store.js";
import type { Op } from "../../op/op.js";

export function findOp(db: Database.Database, id: string): Op | undefined {
  return selectOps(db, "SELECT op FROM ops WHERE id = ?", id)[0];
}

/** Up to `limit` ops by `actor` with HLC below `before` (undefined: from the newest), newest first. */
export function actorOpsBefore(db: Database.Database, actor: string, before: string | undefined, limit: number): ReadonlyArray<Op> {
  return selectOps(db, "SELECT op FROM ops WHERE actor = ? AND hlc < ? ORDER BY hlc DESC LIMIT ?", actor, before ?? "\uffff", limit);
}
