/**
 * The `ops` table: the append-only op log every replica keeps (docs/design.md §5).
 *
 * Owned by the op log (which creates the table, adds the append-only
 * triggers, appends through `append.ts` and `ingest.ts` and owns the
 * transaction); the materialiser only reads it. Columns are the op envelope flattened for indexing; `op`
 * holds the canonical JSON of the whole op and is the source of truth.
 *
 * Invariants: `id` = `hlc` and is unique; `seq` is local insertion order and
 * never influences materialised state.
 */
import type Database from "better-sqlite3";
import { canonicalJson, hashOp } from "../op/canonical.js";
import type { Op } from "../op/op.js";
import { prep } from "./statements.js";

export const OPS_TABLE_SQL = `
CREATE TABLE IF NOT EXISTS ops (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  hlc TEXT NOT NULL,
  kind TEXT NOT NULL,
  target_type TEXT NOT NULL,
  target_id TEXT NOT NULL,
  actor TEXT NOT NULL,
  replica TEXT NOT NULL,
  op TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ops_by_target ON ops(target_type, target_id, hlc);
-- HLC order: rebuild pages through it, history and sync read ranges of it.
CREATE INDEX IF NOT EXISTS ops_by_hlc ON ops(hlc);
`;

/**
 * Plain INSERT of ops (no dedupe: the caller decides what a duplicate id
 * means; a duplicate throws "UNIQUE constraint failed: ops.id"). `encode`
 * lets the op log pass its own canonical encoder / hasher; the default is
 * `canonicalJson` + `hashOp` (docs/design.md §3).
 *
 * `OR FAIL` rather than the default ABORT, for speed only: with ABORT and
 * the op log's AFTER INSERT trigger (outbox), SQLite opens a statement
 * journal for every row (~20 µs of an ~40 µs insert). Each run inserts ONE
 * row and every constraint is checked before anything is written, so a
 * failing row leaves nothing behind either way, and the error is the same.
 * The outer clause also applies to the trigger's `INSERT OR IGNORE INTO
 * outbox`: it cannot conflict, since outbox ids are ids of stored ops and
 * the row being inserted is a new id.
 */
export function insertOps(
  db: Database.Database,
  ops: ReadonlyArray<Op>,
  encode: (op: Op) => { readonly json: string; readonly hash: string } = encodeOpDefault,
): void {
  const stmt = prep(
    db,
    `INSERT OR FAIL INTO ops (id, hlc, kind, target_type, target_id, actor, replica, op, hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const op of ops) {
    const { json, hash } = encode(op);
    stmt.run(op.id, op.hlc, op.kind, op.target.type, op.target.id, op.actor, op.replica, json, hash);
  }
}

/** Canonical JSON of the op (docs/design.md §3) and its SHA-256 hex. */
export function encodeOpDefault(op: Op): { readonly json: string; readonly hash: string } {
  return { json: canonicalJson(op), hash: hashOp(op) };
}
