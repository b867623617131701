/**
 * `rebuild`: empties the materialised tables and replays every op of `ops`
 * in HLC order. Ops are read in keyset pages (`hlc > last ORDER BY hlc
 * LIMIT n`), so memory stays bounded by one page whatever the log size; each
 * page goes through the same `applyBatch` as live ingest, in HLC order, so
 * every move and merge takes the in-order fast path.
 *
 * Ops the materialiser does not understand (a newer `v`, an unknown kind or
 * type: kept and forwarded by the op log, DESIGN.md §3) are skipped.
 */
import type Database from "better-sqlite3";
import { ENTITY_TYPES, OP_KINDS } from "../op/op.js";
import type { Op } from "../op/op.js";
import { applyBatch } from "./apply.js";
import { clearTables } from "./schema.js";
import { prepRaw } from "./statements.js";

export const REBUILD_PAGE = 4000;

const KINDS: ReadonlySet<string> = new Set(OP_KINDS);
const TYPES: ReadonlySet<string> = new Set(ENTITY_TYPES);

export function rebuild(db: Database.Database): void {
  db.transaction(() => {
    clearTables(db);
    replayAll(db);
  })();
}

/** Replays all of `ops` into (empty) tables, page by page. */
export function replayAll(db: Database.Database): void {
  const page = prepRaw(db, "SELECT hlc, op FROM ops WHERE hlc > ? ORDER BY hlc LIMIT ?");
  let after = "";
  for (;;) {
    const rows = page.all(after, REBUILD_PAGE) as Array<[string, string]>;
    const last = rows[rows.length - 1];
    if (last === undefined) return;
    const ops: Array<Op> = [];
    for (const [, json] of rows) {
      const op = JSON.parse(json) as Op;
      if (isApplicable(op)) ops.push(op);
    }
    applyBatch(db, ops);
    after = last[0];
  }
}

export function isApplicable(op: { readonly v?: unknown; readonly kind?: unknown; readonly target?: { readonly type?: unknown } }): boolean {
  return op.v === 1 && KINDS.has(String(op.kind)) && TYPES.has(String(op.target?.type));
}
