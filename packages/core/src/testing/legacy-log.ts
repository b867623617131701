/**
 * Files as an older qc wrote them, for migration tests: the schema up to a
 * version, the identity, and ops in the version-1 row layout (id and hlc as
 * text, the canonical JSON and its hex hash), which versions 1 to 7 kept.
 */
import Database from "better-sqlite3";
import { canonicalJson, hashOp } from "../op/canonical.js";
import type { Op } from "../op/op.js";
import { writeMetaValue } from "../op-log/meta.js";
import { migrate } from "../op-log/schema.js";

/**
 * Writes `path` at schema `version` (1 to 7) holding `ops`, with no
 * materialised tables (they are rebuilt on open). Without a project it is a
 * bare op log, as the op log's own tests open it.
 */
export function writeLegacyLog(
  path: string,
  version: number,
  meta: { readonly replica: string; readonly project?: string },
  ops: ReadonlyArray<Op>,
): void {
  if (!(version >= 1 && version <= 7))
    throw new RangeError(`writeLegacyLog writes the version-1 row layout of versions 1 to 7, not ${version}`);
  const db = new Database(path);
  try {
    migrate(db, version);
    writeMetaValue(db, "replica", meta.replica);
    if (meta.project !== undefined) writeMetaValue(db, "project", meta.project);
    const insert = db.prepare(
      "INSERT INTO ops (id, hlc, kind, target_type, target_id, actor, replica, op, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    );
    for (const op of ops)
      insert.run(op.id, op.hlc, op.kind, op.target.type, op.target.id, op.actor, op.replica, canonicalJson(op), hashOp(op));
  } finally {
    db.close();
  }
}
