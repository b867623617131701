/**
 * The `ops` table: the append-only op log every replica keeps (docs/design.md
 * §5), in its schema-8 layout (docs/decisions/0017-op-log-rows.md), bodies as
 * schema 11 codes them (docs/decisions/0031).
 *
 * Owned by the op log (which creates the table, adds the append-only
 * triggers, appends through `append.ts` and `ingest.ts` and owns the
 * transaction); every other module reads it through `ops-store.ts`, which
 * alone knows the layout. One row per op:
 * - `hlc`: the 16-byte HLC key (hlc-key.ts), also the op's id (id = hlc);
 *   unique, and its index is the HLC order every range read walks;
 * - `target`, `project`: numbers of the op's target entity and of its project
 *   entity in `op_targets`, a dictionary each entity enters once, so the
 *   target index holds small integers instead of type + id text per op;
 * - `actor`: the researcher, as text (undo and history select by it);
 * - `body`: the canonical JSON without what the row and the envelope's fixed
 *   text already say (op-body.ts, docs/decisions/0031), the source of truth.
 *
 * No hash column (docs/decisions/0028): an op's content hash is a function of
 * its canonical JSON (op-codec.ts `contentHash`), and the one question the
 * log asked of stored hashes, "is this id stored with the same content?",
 * compares the canonical JSON itself.
 *
 * `seq` is local insertion order and never influences materialised state.
 */
import type Database from "better-sqlite3";
import { canonicalJson } from "../op/canonical.js";
import type { Op } from "../op/op.js";
import { hlcKey } from "./hlc-key.js";
import { packBody } from "./op-body.js";
import { prep } from "./statements.js";

export const OPS_TABLE_SQL = `
CREATE TABLE IF NOT EXISTS op_targets (
  n INTEGER PRIMARY KEY,
  type TEXT NOT NULL,
  id TEXT NOT NULL,
  UNIQUE (type, id)
);
CREATE TABLE IF NOT EXISTS ops (
  seq INTEGER PRIMARY KEY,
  hlc BLOB NOT NULL UNIQUE,
  target INTEGER NOT NULL,
  project INTEGER NOT NULL,
  actor TEXT NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ops_by_target ON ops(target);
`;

/** The append-only triggers: the log, and the dictionary its rows point into, are never rewritten. */
export const OPS_APPEND_ONLY_SQL = `
CREATE TRIGGER IF NOT EXISTS ops_append_only_update BEFORE UPDATE ON ops
BEGIN SELECT RAISE(ABORT, 'ops is append-only: UPDATE refused'); END;
CREATE TRIGGER IF NOT EXISTS ops_append_only_delete BEFORE DELETE ON ops
BEGIN SELECT RAISE(ABORT, 'ops is append-only: DELETE refused'); END;
CREATE TRIGGER IF NOT EXISTS op_targets_append_only_update BEFORE UPDATE ON op_targets
BEGIN SELECT RAISE(ABORT, 'op_targets is append-only: UPDATE refused'); END;
CREATE TRIGGER IF NOT EXISTS op_targets_append_only_delete BEFORE DELETE ON op_targets
BEGIN SELECT RAISE(ABORT, 'op_targets is append-only: DELETE refused'); END;
`;

/**
 * Plain INSERT of ops (no dedupe: the caller decides what a duplicate id
 * means; a duplicate throws "UNIQUE constraint failed: ops.hlc"). `encode`
 * lets the op log pass the canonical JSON it already has; the default is
 * `canonicalJson` (docs/design.md §3).
 *
 * `OR FAIL` rather than the default ABORT: with ABORT and an AFTER INSERT
 * trigger (the outbox had one until schema 9), SQLite opens a statement
 * journal for every row (~20 µs of an ~40 µs insert). Each run inserts ONE
 * row and every constraint is checked before anything is written, so a
 * failing row leaves nothing behind either way, and the error is the same.
 */
export function insertOps(
  db: Database.Database,
  ops: ReadonlyArray<Op>,
  encode: (op: Op) => { readonly json: string } = (op) => ({ json: canonicalJson(op) }),
): void {
  const write = opRowWriter(db);
  for (const op of ops) write(op, encode(op).json);
}

/**
 * Writes one op row (`seq` given only by the migration that re-encodes old
 * rows, else the next). One single-row statement in the common case: the
 * entity numbers are scalar lookups inside the INSERT; a new entity leaves
 * one NULL, the NOT NULL constraint refuses the row before anything is
 * written, and the entities are entered and the INSERT run again (a create
 * enters its target first: its entity is new as a rule).
 * Measured (decision 0017): a lookup statement per entity and op cost more
 * than the row's smaller B-trees saved, and `INSERT … SELECT` more than
 * this single-row form; a cache of numbers across calls could outlive a
 * rollback.
 */
export function opRowWriter(db: Database.Database): (op: Op, json: string, seq?: number) => void {
  const insert = prep(
    db,
    `INSERT OR FAIL INTO ops (seq, hlc, target, project, actor, body) VALUES (?, ?,
       (SELECT n FROM op_targets WHERE type = ? AND id = ?), (SELECT n FROM op_targets WHERE type = 'project' AND id = ?), ?, ?)`,
  );
  const enter = prep(db, "INSERT OR IGNORE INTO op_targets (type, id) VALUES (?, ?)");
  return (op, json, seq) => {
    const body = packBody(json, op);
    const row = [seq ?? null, hlcKey(op.hlc), op.target.type, op.target.id, op.project, op.actor, body];
    // A create is normally its entity's first op: enter the entity first rather than pay for the refused
    // INSERT's SqliteError (about 12 µs, a stack trace each; decision 0017).
    if (op.kind === "create") enter.run(op.target.type, op.target.id);
    try {
      insert.run(...row);
    } catch (error) {
      if ((error as { code?: unknown }).code !== "SQLITE_CONSTRAINT_NOTNULL") throw error;
      enter.run(op.target.type, op.target.id);
      enter.run("project", op.project);
      insert.run(...row);
    }
  };
}
