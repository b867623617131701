/**
 * The materialiser's tables (all prefixed `m_`). Disposable: every row is a
 * function of the set of ops in `ops` and `rebuild` recreates them.
 *
 * Version history (`m_meta.materialiser_version`):
 * - 1: entities, registers, register writes, texts, tree nodes + move log,
 *      segments, link adds/removes, conflicts, resolves.
 * - 2: m_texts keeps only the merged Yjs update (text is decoded on read);
 *      m_moves indexed by node and by parent (late leaf moves).
 * - 3: m_texts.compacted (state size after the last Y.Doc compaction).
 * - 4: m_unapplied (ops whose content cannot be applied, with the reason);
 *      wrong-type parents and anchors outside `content` are re-derived.
 * - 5: m_registers.unseen and seen_max (a register's heads in one row, no
 *      scan of its writes; docs/decisions/0014).
 * - 6: a register's write records are rows of m_registers (is_register = 0)
 *      beside its own row, not a second table (docs/decisions/0021).
 * - 7: m_registers holds op ids as 16-byte HLC keys (op_id, hlc, unseen,
 *      seen_max, prev_key), not text (register-keys.ts, docs/decisions/0026).
 * - 8: write records in m_register_writes again, keyed by the op id they
 *      saw, so they land at the log's end and the registers stay a small
 *      B-tree (docs/decisions/0027).
 * - 9: a write record names its register by a 53-bit tag, not by
 *      (type, id, field) (docs/decisions/0029).
 *
 * A different stored version drops every `m_` table, recreates them and
 * rebuilds from `ops` (see `installMaterialiser`).
 */
import type Database from "better-sqlite3";

export const MATERIALISER_VERSION = 9;

export const MATERIALISER_TABLES = [
  "m_entities",
  "m_registers",
  "m_register_writes",
  "m_texts",
  "m_tree_nodes",
  "m_moves",
  "m_segments",
  "m_link_adds",
  "m_link_removes",
  "m_conflicts",
  "m_resolves",
  "m_unapplied",
] as const;

export const MATERIALISER_SQL = `
CREATE TABLE IF NOT EXISTS m_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;

-- One row per (type, id) that any op targets. create_hlc: first create
-- (NULL = never created). life_hlc/deleted: the lifecycle register.
-- live, eff_parent, dup_key: derived (cascade, nearest live ancestor,
-- duplicate-name scope + normalised name while live).
CREATE TABLE IF NOT EXISTS m_entities (
  type TEXT NOT NULL,
  id TEXT NOT NULL,
  create_hlc TEXT,
  life_hlc TEXT,
  deleted INTEGER NOT NULL DEFAULT 0,
  live INTEGER NOT NULL DEFAULT 0,
  eff_parent TEXT,
  dup_key TEXT,
  PRIMARY KEY (type, id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS m_entities_dup ON m_entities(type, dup_key) WHERE dup_key IS NOT NULL;

-- Op ids are 16-byte HLC keys (register-keys.ts), lists of them their
-- keys concatenated in order.
-- LWW registers: the highest-HLC write (hlc) of (type, id, field); value
-- is JSON. unseen: the sorted ids of recorded writes no recorded write
-- lists in its prev (NULL or empty = none); seen_max: the highest id any
-- recorded prev lists (registers.ts).
CREATE TABLE IF NOT EXISTS m_registers (
  type TEXT NOT NULL,
  id TEXT NOT NULL,
  field TEXT NOT NULL,
  value TEXT,
  hlc BLOB,
  unseen BLOB,
  seen_max BLOB,
  PRIMARY KEY (type, id, field)
) WITHOUT ROWID;

-- Write records: a set with a prev (creates and sets without one are not
-- recorded) has a row per entry of its prev (seen: the entry's key, or
-- the TEXT of a string that is no HLC; X'' for an empty prev). Keyed by
-- what a write saw, which is as a rule the register's write before it, so
-- records land near the end of the log's order, not all over the project
-- (docs/decisions/0027). first = 1 on the row of the prev's lowest entry,
-- which alone carries prev_key: the prev's stored key (register-keys.ts),
-- NULL when the prev is exactly [seen]. reg is the register's tag, a hash
-- of (type, id, field) that may be shared, so a match is confirmed against
-- the op (register-keys.ts registerTag, docs/decisions/0029). Two writes saw
-- the same prev when their first rows agree on (seen, prev_key) and register.
CREATE TABLE IF NOT EXISTS m_register_writes (
  seen BLOB NOT NULL,
  op_id BLOB NOT NULL,
  reg INTEGER NOT NULL,
  first INTEGER NOT NULL,
  prev_key BLOB,
  PRIMARY KEY (seen, op_id)
) WITHOUT ROWID;

-- Merged Yjs update per text field (text.ts decodes it for reads).
CREATE TABLE IF NOT EXISTS m_texts (
  type TEXT NOT NULL,
  id TEXT NOT NULL,
  field TEXT NOT NULL,
  state BLOB NOT NULL,
  compacted INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (type, id, field)
) WITHOUT ROWID;

-- Trees: 'category' (categories + codes), 'folder' (folders + sources),
-- 'alias' (code merges: parent = the code it was merged into).
CREATE TABLE IF NOT EXISTS m_tree_nodes (
  tree TEXT NOT NULL,
  node TEXT NOT NULL,
  node_type TEXT NOT NULL,
  parent TEXT,
  PRIMARY KEY (tree, node)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS m_tree_nodes_parent ON m_tree_nodes(tree, parent);

-- The move log per tree in HLC order (Kleppmann-style undo/redo): the
-- parent before the move and whether it was skipped for closing a cycle.
CREATE TABLE IF NOT EXISTS m_moves (
  tree TEXT NOT NULL,
  hlc TEXT NOT NULL,
  node TEXT NOT NULL,
  node_type TEXT NOT NULL,
  parent TEXT,
  old_parent TEXT,
  skipped INTEGER NOT NULL,
  PRIMARY KEY (tree, hlc)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS m_moves_node ON m_moves(tree, node, hlc);
CREATE INDEX IF NOT EXISTS m_moves_parent ON m_moves(tree, parent);

-- Created segments with derived effective code, range and liveness.
CREATE TABLE IF NOT EXISTS m_segments (
  id TEXT PRIMARY KEY,
  source TEXT,
  code TEXT,
  eff_code TEXT,
  start_idx REAL,
  end_idx REAL,
  collapsed INTEGER NOT NULL DEFAULT 0,
  live INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS m_segments_source ON m_segments(source);
CREATE INDEX IF NOT EXISTS m_segments_code ON m_segments(code);
CREATE INDEX IF NOT EXISTS m_segments_eff_code ON m_segments(eff_code);

-- Case-source links: an add-wins set of link ops minus the adds unlinks saw.
CREATE TABLE IF NOT EXISTS m_link_adds (
  add_id TEXT PRIMARY KEY,
  case_id TEXT NOT NULL,
  source TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS m_link_adds_case ON m_link_adds(case_id);
CREATE TABLE IF NOT EXISTS m_link_removes (
  add_id TEXT NOT NULL,
  case_id TEXT NOT NULL,
  PRIMARY KEY (add_id, case_id)
) WITHOUT ROWID;

-- Derived conflicts; key groups rows recomputed together.
CREATE TABLE IF NOT EXISTS m_conflicts (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  key TEXT NOT NULL,
  type TEXT NOT NULL,
  entity TEXT NOT NULL,
  detail TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS m_conflicts_key ON m_conflicts(kind, key);
CREATE TABLE IF NOT EXISTS m_resolves (
  conflict TEXT NOT NULL,
  op_id TEXT NOT NULL,
  PRIMARY KEY (conflict, op_id)
) WITHOUT ROWID;
-- Ops in the log whose content could not be applied (text.ts): skipped, with the reason.
CREATE TABLE IF NOT EXISTS m_unapplied (
  op_id TEXT PRIMARY KEY,
  reason TEXT NOT NULL
) WITHOUT ROWID;
`;

/**
 * Whether the file's tables are this version's: the version row is written
 * in the transaction that created them, so it alone says they are all there
 * (a reopen reads it instead of running every CREATE ... IF NOT EXISTS).
 */
export function tablesCurrent(db: Database.Database): boolean {
  const hasMeta = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'm_meta'").get() !== undefined;
  return (
    hasMeta && db.prepare("SELECT value FROM m_meta WHERE key = 'materialiser_version'").pluck().get() === String(MATERIALISER_VERSION)
  );
}

/** Creates the tables unless they are current; returns true when they were (re)created empty and need a rebuild. */
export function createTables(db: Database.Database): boolean {
  if (tablesCurrent(db)) return false;
  const current = String(MATERIALISER_VERSION);
  for (const table of MATERIALISER_TABLES) db.exec(`DROP TABLE IF EXISTS ${table}`);
  db.exec(MATERIALISER_SQL);
  db.prepare("INSERT OR REPLACE INTO m_meta (key, value) VALUES ('materialiser_version', ?)").run(current);
  return true;
}

/** Empties every materialised table (the version row stays). */
export function clearTables(db: Database.Database): void {
  for (const table of MATERIALISER_TABLES) db.exec(`DELETE FROM ${table}`);
}
