/**
 * Conflict rows (docs/design.md §4 rule 9): derived from the op set like every
 * other table, so every replica lists the same conflicts under the same ids.
 *
 * Invariants:
 * - a conflict id is `conflictId(kind, opIds)`: a hash of the kind and the
 *   sorted ids of the ops involved, never of arrival order or local state;
 * - `resolve` ops only hide conflicts (m_resolves is a grow-only set); a
 *   resolve may arrive before the conflict it names exists.
 *
 * Kinds: concurrent-edit, cycle-skipped, duplicate-name, segment-text-removed.
 */
import type Database from "better-sqlite3";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";
import { canonicalJson } from "../op/canonical.js";
import type { EntityType, JsonValue } from "../op/op.js";
import { prep } from "../op-log/statements.js";

export type ConflictKind = "concurrent-edit" | "cycle-skipped" | "duplicate-name" | "segment-text-removed";

export interface ConflictRow {
  readonly id: string;
  readonly kind: ConflictKind;
  readonly key: string;
  readonly type: EntityType;
  readonly entity: string;
  readonly detail: JsonValue;
}

/** `c-` + 32 hex chars of SHA-256 over the kind and the sorted op ids. */
export function conflictId(kind: ConflictKind, opIds: ReadonlyArray<string>): string {
  const text = [kind, ...[...opIds].sort()].join("\n");
  return `c-${bytesToHex(sha256(utf8ToBytes(text))).slice(0, 32)}`;
}

export function putConflict(db: Database.Database, row: ConflictRow): void {
  prep(
    db,
    `INSERT INTO m_conflicts (id, kind, key, type, entity, detail) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, key = excluded.key, type = excluded.type,
       entity = excluded.entity, detail = excluded.detail`,
  ).run(row.id, row.kind, row.key, row.type, row.entity, canonicalJson(row.detail));
}

export function deleteConflict(db: Database.Database, id: string): void {
  prep(db, "DELETE FROM m_conflicts WHERE id = ?").run(id);
}

export function deleteConflictsByKey(db: Database.Database, kind: ConflictKind, key: string): void {
  prep(db, "DELETE FROM m_conflicts WHERE kind = ? AND key = ?").run(kind, key);
}

/** A `resolve` op: hides `conflict` (now or whenever it is derived). */
export function recordResolve(db: Database.Database, conflict: string, opId: string): void {
  prep(db, "INSERT OR IGNORE INTO m_resolves (conflict, op_id) VALUES (?, ?)").run(conflict, opId);
}
