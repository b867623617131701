/**
 * The materialiser (docs/design.md §4): turns the set of ops in `ops` into entity
 * tables, deterministically and incrementally. Every table is a pure
 * function of the op set taken in HLC order; `applyOps` gets there without
 * replaying the project, `rebuild` by replaying it, and `canonicalState`
 * lets two replicas (or a replica and its rebuild) compare with `===`.
 *
 * One file per rule: registers.ts (LWW + concurrent-edit), text.ts (Yjs),
 * lifecycle.ts, cascade.ts (liveness, nearest live ancestor), tree-move.ts
 * (moves, cycle-skipped), code-merge.ts (aliases), anchors.ts + segments.ts
 * (anchored segments, segment-text-removed), links.ts (add-wins set),
 * names.ts (duplicate-name), conflicts.ts (ids, resolve). Their decisions
 * are plain functions over plain data in rules/; the files above are storage.
 */
import type Database from "better-sqlite3";
import { replayAll } from "./rebuild.js";
import { createTables, tablesCurrent } from "./schema.js";
import { resetStatements } from "../op-log/statements.js";

export { applyOps } from "./apply.js";
export type { Unapplied } from "./text.js";
export { rebuild } from "./rebuild.js";
export { canonicalState } from "./canonical-state.js";
export {
  codeAlias,
  entityLifecycle,
  getEntity,
  isLive,
  listConflicts,
  listEntities,
  loadText,
  registerWriters,
  segmentRange,
  wouldCreateCycle,
  wouldMergeCycle,
} from "./read.js";
export type { Conflict, EntityState, ListOptions } from "./read.js";
export { listLinks } from "./links.js";
export type { Link } from "./links.js";
export { conflictId } from "./conflicts.js";
export type { ConflictKind } from "./conflicts.js";
export { encodeTextAnchors, makeAnchorResolver, resolveAnchors } from "./anchors.js";
export type { AnchorResolver } from "./anchors.js";
export { normaliseName } from "./names.js";
export { MATERIALISER_VERSION } from "./schema.js";
export { insertOps, OPS_TABLE_SQL } from "../op-log/ops-table.js";

/**
 * Creates the materialiser's tables (idempotent). When the stored
 * `materialiser_version` differs (or none is stored), the tables are
 * recreated and, if an `ops` table exists, rebuilt from it. A file at this
 * version (every reopen) costs two reads and no transaction.
 */
export function installMaterialiser(db: Database.Database): void {
  if (tablesCurrent(db)) return;
  db.transaction(() => {
    const fresh = createTables(db);
    if (!fresh) return;
    resetStatements(db);
    const hasOps = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'ops'").get() !== undefined;
    if (hasOps) replayAll(db);
  })();
}
