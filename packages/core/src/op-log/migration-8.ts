/**
 * Migration 8 (schema.ts, docs/decisions/0017-op-log-rows.md): every op row
 * re-encoded into the compact layout of ops-table.ts, in one transaction.
 *
 * Nothing about an op changes: each row keeps its seq, and before the old
 * table goes, each new row is read back and must give the old canonical
 * JSON byte for byte, whose hash must be the stored one; a row that does not
 * (or whose id is not its HLC, which the decoder never admitted) stops the
 * migration, so the file stays at version 7, untouched. The rows are
 * written in today's layout (ops-table.ts), which keeps no hash
 * (docs/decisions/0028): migration 10 has nothing to do on such a file. `outbox`, `acks` and `op_receipts` move to
 * the same 16-byte key; a receipt for an id that is not an HLC (no op can
 * have it) is dropped.
 */
import type Database from "better-sqlite3";
import type { Op } from "../op/op.js";
import { hlcKeyOf } from "./hlc-key.js";
import { contentHash } from "./op-codec.js";
import { OPS_APPEND_ONLY_SQL, OPS_TABLE_SQL, opRowWriter } from "./ops-table.js";
import { storedJson } from "./ops-store.js";

export const SCHEMA_8_BEFORE_REENCODE = `
DROP TRIGGER IF EXISTS outbox_own_op;
DROP TRIGGER IF EXISTS outbox_acked;
DROP TRIGGER IF EXISTS outbox_unacked;
DROP TRIGGER IF EXISTS ops_append_only_update;
DROP TRIGGER IF EXISTS ops_append_only_delete;
DROP INDEX IF EXISTS ops_by_target;
DROP INDEX IF EXISTS ops_by_hlc;
ALTER TABLE ops RENAME TO ops_v7;
ALTER TABLE outbox RENAME TO outbox_v7;
ALTER TABLE acks RENAME TO acks_v7;
ALTER TABLE op_receipts RENAME TO op_receipts_v7;
${OPS_TABLE_SQL}
CREATE TABLE outbox (hlc BLOB PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE acks (hlc BLOB PRIMARY KEY, acked_at TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE op_receipts (hlc BLOB PRIMARY KEY, received_at INTEGER NOT NULL) WITHOUT ROWID;
`;

export const SCHEMA_8_AFTER_REENCODE = `
DROP TABLE ops_v7;
DROP TABLE outbox_v7;
DROP TABLE acks_v7;
DROP TABLE op_receipts_v7;
${OPS_APPEND_ONLY_SQL}
-- The outbox: own ops (the key's last 8 bytes are meta.replica) without an
-- ack, kept by triggers whatever path inserts an op or an ack, or clears acks.
CREATE TRIGGER outbox_own_op AFTER INSERT ON ops
  WHEN substr(NEW.hlc, 9) = unhex((SELECT value FROM meta WHERE key = 'replica'))
   AND NOT EXISTS (SELECT 1 FROM acks WHERE hlc = NEW.hlc)
BEGIN INSERT OR IGNORE INTO outbox (hlc) VALUES (NEW.hlc); END;
CREATE TRIGGER outbox_acked AFTER INSERT ON acks
BEGIN DELETE FROM outbox WHERE hlc = NEW.hlc; END;
CREATE TRIGGER outbox_unacked AFTER DELETE ON acks
  WHEN substr(OLD.hlc, 9) = unhex((SELECT value FROM meta WHERE key = 'replica'))
   AND EXISTS (SELECT 1 FROM ops WHERE hlc = OLD.hlc)
BEGIN INSERT OR IGNORE INTO outbox (hlc) VALUES (OLD.hlc); END;
`;

export function reencodeOps(db: Database.Database): void {
  const write = opRowWriter(db);
  // Pages, not one iterator: better-sqlite3 runs no other statement while one iterates.
  const page = db.prepare(`SELECT seq, id, hlc, op, hash FROM ops_v7 WHERE seq > ? ORDER BY seq LIMIT ${PAGE}`);
  for (let after = 0; ;) {
    const rows = page.all(after) as Array<OldRow>;
    for (const row of rows) {
      if (row.id !== row.hlc) refuse(row, "its id is not its HLC");
      if (contentHash(row.op) !== row.hash) refuse(row, "its stored hash is not the hash of its canonical JSON");
      write(JSON.parse(row.op) as Op, row.op, row.seq);
      if (storedJson(db, row.id) !== row.op) refuse(row, "the new row does not give back its canonical JSON");
    }
    const last = rows.at(-1);
    if (last === undefined) break;
    after = last.seq;
  }
  moveKeyed(db, "SELECT id FROM outbox_v7", "INSERT INTO outbox (hlc) VALUES (?)");
  moveKeyed(db, "SELECT id, acked_at FROM acks_v7", "INSERT INTO acks (hlc, acked_at) VALUES (?, ?)");
  moveKeyed(db, "SELECT id, received_at FROM op_receipts_v7", "INSERT INTO op_receipts (hlc, received_at) VALUES (?, ?)");
}

const PAGE = 5000;

interface OldRow {
  readonly seq: number;
  readonly id: string;
  readonly hlc: string;
  readonly op: string;
  readonly hash: string;
}

function refuse(row: OldRow, why: string): never {
  throw new Error(`migration 8: op ${row.id} (seq ${row.seq}) cannot be re-encoded: ${why}; the file is left at version 7`);
}

/** Copies rows keyed by an id into a table keyed by its HLC key; ids that are no HLC are dropped. */
function moveKeyed(db: Database.Database, select: string, insert: string): void {
  const into = db.prepare(insert);
  for (const [id, ...rest] of db.prepare(select).raw().all() as Array<[string, ...Array<unknown>]>) {
    const key = hlcKeyOf(id);
    if (key !== undefined) into.run(key, ...rest);
  }
}
