/**
 * `rebuild`: empties the materialised tables and replays every op of `ops`
 * in HLC order. Ops are read in keyset pages (`hlc > last ORDER BY hlc
 * LIMIT n`: better-sqlite3 cannot write while an `.iterate()` is open on the
 * same connection), so memory stays bounded by one page plus the queued text
 * updates (flushed past TEXT_QUEUE_LIMIT) and the set of touched entity ids.
 * Primary effects run page by page, all in HLC order, so every move takes
 * the in-order path; Yjs merges, concurrent-edit detection and derived state
 * (which no primary effect reads) run once at the end.
 *
 * Ops the materialiser does not understand (a newer `v`, an unknown kind or
 * type: kept and forwarded by the op log, docs/design.md §3) are skipped.
 */
import type Database from "better-sqlite3";
import { ENTITY_TYPES, OP_KINDS } from "../op/op.js";
import { applyPrimaries, makeBatch } from "./apply.js";
import { derive } from "./derive.js";
import { detectAllConcurrentEdits } from "./registers.js";
import { clearTables } from "./schema.js";
import { opPagesByHlc } from "../op-log/ops-store.js";
import { flushTexts } from "./text.js";

/**
 * Ops per page. Pages of 4,000 lived through enough young-generation
 * collections to be promoted, and V8 let the old space fill with them before
 * a full collection: a rebuild of 1,000,000 ops peaked at 427 MB of RSS with
 * under 96 MB live (it ran with --max-old-space-size=96). Pages of 1,000 die
 * young: 271–349 MB over five runs, in the same time within noise (`pnpm
 * bench`, 2026-12-06).
 */
const REBUILD_PAGE = 1000;
/** Queued base64 text updates (chars) before an intermediate flush. */
export const TEXT_QUEUE_LIMIT = 4 * 1024 * 1024;

const KINDS: ReadonlySet<string> = new Set(OP_KINDS);
const TYPES: ReadonlySet<string> = new Set(ENTITY_TYPES);

export function rebuild(db: Database.Database): void {
  db.transaction(() => {
    clearTables(db);
    replayAll(db);
  })();
}

/** Replays all of `ops` into (empty) tables. */
export function replayAll(db: Database.Database): void {
  const batch = makeBatch(true);
  for (const page of opPagesByHlc(db, REBUILD_PAGE)) {
    applyPrimaries(db, page.filter(isApplicable), batch);
    if (batch.textBytes > TEXT_QUEUE_LIMIT) {
      flushTexts(db, batch.texts);
      batch.textBytes = 0;
    }
  }
  flushTexts(db, batch.texts);
  detectAllConcurrentEdits(db);
  derive(db, batch.dirty);
}

export function isApplicable(op: {
  readonly v?: unknown;
  readonly kind?: unknown;
  readonly target?: { readonly type?: unknown };
}): boolean {
  return op.v === 1 && KINDS.has(String(op.kind)) && TYPES.has(String(op.target?.type));
}
