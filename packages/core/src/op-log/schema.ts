/**
 * The op log's SQLite schema and its migrations (docs/design.md §5).
 *
 * Versioned: `schema_migrations` records every applied version; a file
 * written by a newer qc is refused rather than guessed at. No migration
 * changes what an op is: version 8 re-encodes every row into a smaller
 * layout and checks, before it commits, that each row gives back the same
 * canonical JSON and hash, and version 10 drops the stored hash only after
 * checking each against its row (the op log stays append-only: no op is
 * added, dropped or altered, only its storage changes).
 *
 * Version history:
 * - 1: ops (append-only by trigger), quarantine, meta, acks, sync_cursor.
 * - 2: outbox (own ops without an ack), kept by triggers, so the outbox and
 *      its size never scan every own op of a years-long log.
 * - 3: local_settings: this file's own settings (sync on/off, server URL,
 *      member token, actor), never synced and never part of an op.
 * - 4: the qc mark: `PRAGMA application_id` = QC_APPLICATION_ID, so a qc
 *      file is told apart from any other SQLite database (file-kind.ts).
 * - 5: op_receipts: when the server received each op (from pull), beside
 *      the op's own HLC; never part of an op (op-receipts.ts).
 * - 6: checkpoints: snapshots of the materialised state at a log position
 *      (op-log/checkpoints.ts), so "state at T" and `verify` replay only
 *      the ops stored after one. Ops are never deleted for them.
 * - 7: smaller write path (docs/decisions/0013-op-log-storage-layout.md):
 *      the outbox keeps only the op id (id = hlc, so its primary key is
 *      already HLC order; the hlc column and outbox_by_hlc duplicated it),
 *      ops_by_replica goes (no query reads it since the outbox table
 *      replaced the scan of own ops) and ops_by_target drops its hlc
 *      column. No `ops` row is touched.
 * - 8: compact rows (docs/decisions/0017-op-log-rows.md, ops-table.ts): the
 *      HLC as a 16-byte key that is also the id, the hash as 32 bytes, the
 *      target and project as numbers into `op_targets`, the canonical JSON
 *      with the row's own values as tokens (op-body.ts). `outbox`, `acks`
 *      and `op_receipts` are keyed by the same 16-byte key.
 * - 9: the outbox as an acked position (docs/decisions/0024-outbox-as-acked-position.md,
 *      migration-9.ts, outbox.ts): meta `acked_through` instead of the
 *      `outbox` table and its triggers; `acks` keeps only acks above the
 *      position, `outbox_behind` own ops that wait below it (both empty as a
 *      rule). The op log adds `ops_own`, a partial index of own ops' keys
 *      (on open, so not a schema version: since decision 0030 it is
 *      `ops_own_time`, of the keys' time part).
 * - 10: no stored hash (docs/decisions/0028-no-stored-op-hash.md,
 *      migration-10.ts): `ops.hash` goes; the content hash is computed from
 *      the canonical JSON, and the duplicate check compares the JSON.
 * - 11: envelope-form bodies (docs/decisions/0031-envelope-form-of-op-bodies.md,
 *      op-body.ts): a new op's body leaves out the envelope text its row
 *      and the op's kind already say. No row is touched: a body stored
 *      before is in the token form, which this version still reads; the
 *      version is there so that an older qc refuses a file it would misread.
 *
 * Every migration also sets `PRAGMA user_version` to its version: the header
 * says which schema the file has without reading a table. A migration is
 * applied when its version is missing from `schema_migrations`, not only
 * when above the highest: a file that got 5 before 4 existed still gets 4.
 *
 * Entity tables are not here: they belong to the materialiser, are
 * disposable and rebuilt from `ops` (`installMaterialiser` runs after this).
 */
import type Database from "better-sqlite3";
import { OpLogError } from "./errors.js";
import { reencodeOps, SCHEMA_8_AFTER_REENCODE, SCHEMA_8_BEFORE_REENCODE } from "./migration-8.js";
import { SCHEMA_9_SQL, toAckedPosition } from "./migration-9.js";
import { dropStoredHashes } from "./migration-10.js";

export const SCHEMA_VERSION = 11;

/**
 * qc's SQLite `application_id`: the bytes of ASCII "qcop" (0x71636f70) as a
 * big-endian 32-bit integer, as SQLite stores it at header offset 68.
 * Tools that read the header (`file`, `sqlite3 .dbinfo`) then show it.
 */
export const QC_APPLICATION_ID = 0x71636f70;

interface Migration {
  readonly version: number;
  readonly sql: string;
  /** Runs after `sql`, in the same transaction: a step SQL alone cannot do. */
  readonly run?: (db: Database.Database) => void;
  /** Runs after `run`, in the same transaction. */
  readonly sqlAfter?: string;
}

const MIGRATIONS: ReadonlyArray<Migration> = [
  {
    version: 1,
    sql: `
-- The version-1 layout (version 8 re-encodes it, ops-table.ts has today's).
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
CREATE INDEX IF NOT EXISTS ops_by_hlc ON ops(hlc);
-- The outbox scans own ops (replica = ours) in HLC order.
CREATE INDEX IF NOT EXISTS ops_by_replica ON ops(replica, hlc);
-- The log is never rewritten: a trigger refuses every UPDATE and DELETE.
CREATE TRIGGER IF NOT EXISTS ops_append_only_update BEFORE UPDATE ON ops
BEGIN SELECT RAISE(ABORT, 'ops is append-only: UPDATE refused'); END;
CREATE TRIGGER IF NOT EXISTS ops_append_only_delete BEFORE DELETE ON ops
BEGIN SELECT RAISE(ABORT, 'ops is append-only: DELETE refused'); END;

-- Ops that failed a check on ingest: kept (never applied, never dropped).
-- raw_hash dedupes replays of the same raw input.
CREATE TABLE IF NOT EXISTS quarantine (
  qid INTEGER PRIMARY KEY,
  id TEXT,
  hlc TEXT,
  reason TEXT NOT NULL,
  detail TEXT NOT NULL,
  raw TEXT NOT NULL,
  raw_hash TEXT NOT NULL UNIQUE,
  received_at TEXT NOT NULL,
  origin TEXT NOT NULL,
  released_at TEXT
);
CREATE INDEX IF NOT EXISTS quarantine_held_clock_ahead ON quarantine(hlc)
  WHERE reason = 'clock-ahead' AND released_at IS NULL;

CREATE TABLE IF NOT EXISTS meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

-- Own ops acknowledged by the remote; outbox = own ops without a row here.
CREATE TABLE IF NOT EXISTS acks (
  id TEXT PRIMARY KEY,
  acked_at TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS sync_cursor (
  one INTEGER PRIMARY KEY CHECK (one = 1),
  deployment TEXT NOT NULL,
  project TEXT NOT NULL,
  stream TEXT NOT NULL,
  seq INTEGER NOT NULL CHECK (seq >= 0)
);
`,
  },
  {
    version: 2,
    sql: `
-- The outbox: own ops (replica = meta.replica) without a row in acks. An
-- index of ops, not a queue: triggers keep it equal to that definition
-- whatever path inserts an op or an ack, or clears acks.
CREATE TABLE IF NOT EXISTS outbox (
  id TEXT PRIMARY KEY,
  hlc TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS outbox_by_hlc ON outbox(hlc);
INSERT OR IGNORE INTO outbox (id, hlc)
  SELECT o.id, o.hlc FROM ops o
  WHERE o.replica = (SELECT value FROM meta WHERE key = 'replica')
    AND NOT EXISTS (SELECT 1 FROM acks a WHERE a.id = o.id);
CREATE TRIGGER IF NOT EXISTS outbox_own_op AFTER INSERT ON ops
  WHEN NEW.replica = (SELECT value FROM meta WHERE key = 'replica')
   AND NOT EXISTS (SELECT 1 FROM acks WHERE id = NEW.id)
BEGIN INSERT OR IGNORE INTO outbox (id, hlc) VALUES (NEW.id, NEW.hlc); END;
CREATE TRIGGER IF NOT EXISTS outbox_acked AFTER INSERT ON acks
BEGIN DELETE FROM outbox WHERE id = NEW.id; END;
CREATE TRIGGER IF NOT EXISTS outbox_unacked AFTER DELETE ON acks
BEGIN
  INSERT OR IGNORE INTO outbox (id, hlc)
    SELECT id, hlc FROM ops WHERE id = OLD.id AND replica = (SELECT value FROM meta WHERE key = 'replica');
END;
`,
  },
  {
    version: 3,
    sql: `
-- Per-file settings of the app (JSON values). Local only: no op, no sync.
CREATE TABLE IF NOT EXISTS local_settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at TEXT NOT NULL
) WITHOUT ROWID;
`,
  },
  {
    version: 4,
    sql: `PRAGMA application_id = ${QC_APPLICATION_ID};`,
  },
  {
    version: 5,
    sql: `
-- Server receive time (ms since epoch) of each op, as pull reported it.
-- Bookkeeping beside ops, never part of one; absent = not yet synced, or
-- stored by a server that did not record it.
CREATE TABLE IF NOT EXISTS op_receipts (
  id TEXT PRIMARY KEY,
  received_at INTEGER NOT NULL
) WITHOUT ROWID;
`,
  },
  {
    version: 6,
    sql: `
-- Snapshots of the materialised tables (op-log/checkpoints.ts). A row holds
-- the state of exactly the ops with seq <= seq (arrival order); frontier is
-- the highest HLC among them, so the row serves "state at T" for T >= frontier.
-- snapshot: gzip of a serialised SQLite database of the m_ tables; hash: its
-- SHA-256 hex, checked before every use.
CREATE TABLE IF NOT EXISTS checkpoints (
  seq INTEGER PRIMARY KEY,
  frontier TEXT NOT NULL,
  materialiser_version INTEGER NOT NULL,
  snapshot BLOB NOT NULL,
  hash TEXT NOT NULL,
  created_at TEXT NOT NULL
);
`,
  },
  {
    version: 7,
    sql: `
-- Every op paid for ops_by_replica and for two copies of its HLC in the
-- outbox (column + outbox_by_hlc); the id alone is the HLC and is the key.
DROP TRIGGER IF EXISTS outbox_own_op;
DROP TRIGGER IF EXISTS outbox_acked;
DROP TRIGGER IF EXISTS outbox_unacked;
DROP INDEX IF EXISTS ops_by_replica;
-- An entity's history sorts its few ops by HLC after the lookup: the index
-- no longer carries a third copy of every op's HLC.
DROP INDEX IF EXISTS ops_by_target;
CREATE INDEX ops_by_target ON ops(target_type, target_id);
CREATE TABLE outbox_ids (id TEXT PRIMARY KEY) WITHOUT ROWID;
INSERT INTO outbox_ids (id) SELECT id FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_ids RENAME TO outbox;
CREATE TRIGGER outbox_own_op AFTER INSERT ON ops
  WHEN NEW.replica = (SELECT value FROM meta WHERE key = 'replica')
   AND NOT EXISTS (SELECT 1 FROM acks WHERE id = NEW.id)
BEGIN INSERT OR IGNORE INTO outbox (id) VALUES (NEW.id); END;
CREATE TRIGGER outbox_acked AFTER INSERT ON acks
BEGIN DELETE FROM outbox WHERE id = NEW.id; END;
CREATE TRIGGER outbox_unacked AFTER DELETE ON acks
BEGIN
  INSERT OR IGNORE INTO outbox (id)
    SELECT id FROM ops WHERE id = OLD.id AND replica = (SELECT value FROM meta WHERE key = 'replica');
END;
`,
  },
  { version: 8, sql: SCHEMA_8_BEFORE_REENCODE, run: reencodeOps, sqlAfter: SCHEMA_8_AFTER_REENCODE },
  { version: 9, sql: SCHEMA_9_SQL, run: toAckedPosition },
  { version: 10, sql: "", run: dropStoredHashes },
  { version: 11, sql: "" },
];

/**
 * Brings the file up to SCHEMA_VERSION in one transaction per migration.
 * `upTo` stops earlier: only tests pass it, to write a file as an older qc did.
 */
export function migrate(db: Database.Database, upTo: number = SCHEMA_VERSION): void {
  if (upTo === SCHEMA_VERSION && upToDate(db)) return;
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    applied_at TEXT NOT NULL
  )`);
  const current = currentVersion(db);
  if (current > SCHEMA_VERSION) {
    throw new OpLogError({
      reason: "schema-too-new",
      message: `this replica file has schema version ${current}, newer than this qc understands (${SCHEMA_VERSION}); update qc to open it`,
    });
  }
  const applied = new Set(db.prepare("SELECT version FROM schema_migrations").pluck().all() as Array<number>);
  let highest = current;
  for (const m of MIGRATIONS) {
    if (applied.has(m.version) || m.version > upTo) continue;
    highest = Math.max(highest, m.version);
    db.transaction(() => {
      db.exec(m.sql);
      m.run?.(db);
      if (m.sqlAfter !== undefined) db.exec(m.sqlAfter);
      db.prepare("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)").run(m.version, new Date().toISOString());
      db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)").run(String(highest));
      db.pragma(`user_version = ${highest}`);
    }).immediate();
  }
}

/**
 * Every migration applied (the usual reopen), in two reads: the header's
 * user_version, then the versions — distinct whole numbers, so
 * MIGRATIONS.length of them from 1 to SCHEMA_VERSION are all of them (a
 * file that got 5 before 4 existed has user_version 8 and lacks one).
 */
function upToDate(db: Database.Database): boolean {
  if (db.pragma("user_version", { simple: true }) !== SCHEMA_VERSION) return false;
  const row = db.prepare("SELECT count(*) AS n, min(version) AS low, max(version) AS high FROM schema_migrations").get() as Versions;
  return row.n === MIGRATIONS.length && row.low === 1 && row.high === SCHEMA_VERSION;
}

interface Versions {
  readonly n: number;
  readonly low: number | null;
  readonly high: number | null;
}

export function currentVersion(db: Database.Database): number {
  const row = db.prepare("SELECT max(version) AS v FROM schema_migrations").get() as { v: number | null };
  return row.v ?? 0;
}
