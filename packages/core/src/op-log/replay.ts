/**
 * Replays ops into a fresh in-memory database with the same code the live
 * replica uses (`installMaterialiser` + `applyOps`). Used for "state at T"
 * and for `verify`, so neither can drift from the real materialisation.
 */
import Database from "better-sqlite3";
import { applyOps, canonicalState, installMaterialiser } from "../materialiser/index.js";
import { insertOps, OPS_TABLE_SQL } from "./ops-table.js";
import type { Op } from "../op/op.js";

/** Canonical state of exactly `ops` (HLC order is restored here). */
export function replayState(ops: ReadonlyArray<Op>): string {
  return withReplayedState(ops, canonicalState);
}

/** Calls `use` with the materialised tables of exactly `ops`, in a fresh in-memory database closed after. */
export function withReplayedState<T>(ops: ReadonlyArray<Op>, use: (state: Database.Database) => T): T {
  const db = new Database(":memory:");
  try {
    db.exec(OPS_TABLE_SQL);
    installMaterialiser(db);
    const sorted = [...ops].sort((a, b) => (a.hlc < b.hlc ? -1 : a.hlc > b.hlc ? 1 : 0));
    db.transaction(() => {
      insertOps(db, sorted);
      applyOps(db, sorted);
    })();
    return use(db);
  } finally {
    db.close();
  }
}
