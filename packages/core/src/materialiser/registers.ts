/**
 * LWW registers (DESIGN.md §4 rule 1) and `concurrent-edit` conflicts.
 *
 * Invariants:
 * - a register holds the value of its highest-HLC write; the upsert only
 *   overwrites with a higher HLC, so any arrival order gives the same row;
 * - two `set`s of one register with the same `prev` (as a set of ids) saw
 *   the same history and not each other: each such pair is a
 *   `concurrent-edit` conflict, id = hash of the two op ids. A `set` without
 *   `prev` (author did not say what it saw) never forms a conflict;
 * - `registerHeads` = writes no other write of the register lists in `prev`:
 *   what a new write should carry as its `prev`.
 */
import type Database from "better-sqlite3";
import { canonicalJson } from "../op/canonical.js";
import type { EntityType, JsonValue } from "../op/op.js";
import { conflictId, putConflict } from "./conflicts.js";
import { pluck, prep, prepRaw } from "./statements.js";

/** prev_key of writes that never take part in concurrent-edit detection. */
const NO_PREV = "";

export function writeRegister(
  db: Database.Database,
  type: EntityType,
  id: string,
  field: string,
  value: JsonValue,
  hlc: string,
): void {
  prep(
    db,
    `INSERT INTO m_registers (type, id, field, value, hlc) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT(type, id, field) DO UPDATE SET value = excluded.value, hlc = excluded.hlc
     WHERE excluded.hlc > m_registers.hlc`,
  ).run(type, id, field, canonicalJson(value), hlc);
}

/** Records a write for head tracking and reports concurrent edits with writes that had the same `prev`. */
export function recordWrite(
  db: Database.Database,
  type: EntityType,
  id: string,
  field: string,
  prev: ReadonlyArray<string> | undefined,
  opId: string,
): void {
  const prevKey = prev === undefined ? NO_PREV : JSON.stringify([...new Set(prev)].sort());
  if (prevKey !== NO_PREV) {
    const siblings = prepRaw(
      db,
      "SELECT op_id FROM m_register_writes WHERE type = ? AND id = ? AND field = ? AND prev_key = ? AND op_id <> ?",
    ).all(type, id, field, prevKey, opId) as Array<[string]>;
    for (const [other] of siblings) reportConcurrentEdit(db, type, id, field, opId, other);
  }
  prep(
    db,
    "INSERT OR IGNORE INTO m_register_writes (type, id, field, prev_key, op_id) VALUES (?, ?, ?, ?, ?)",
  ).run(type, id, field, prevKey, opId);
}

/** Op ids of the register's current heads (sorted): the `prev` for a new write. */
export function registerHeads(db: Database.Database, type: EntityType, id: string, field: string): Array<string> {
  const rows = prepRaw(db, "SELECT prev_key, op_id FROM m_register_writes WHERE type = ? AND id = ? AND field = ?").all(type, id, field) as Array<[string, string]>;
  const seen = new Set<string>();
  for (const [prevKey] of rows) {
    if (prevKey !== NO_PREV) for (const p of JSON.parse(prevKey) as Array<string>) seen.add(p);
  }
  return [...new Set(rows.map(([, opId]) => opId).filter((opId) => !seen.has(opId)))].sort();
}

function reportConcurrentEdit(
  db: Database.Database,
  type: EntityType,
  id: string,
  field: string,
  a: string,
  b: string,
): void {
  const writes = [a, b].sort().map((opId) => ({ op: opId, ...readWrite(db, opId) }));
  putConflict(db, {
    id: conflictId("concurrent-edit", [a, b]),
    kind: "concurrent-edit",
    key: JSON.stringify([type, id, field]),
    type,
    entity: id,
    detail: { field, writes },
  });
}

/** The actor and value of a `set` op, read back from the log (rare: only on conflict). */
function readWrite(db: Database.Database, opId: string): { actor: string; value: JsonValue } {
  const json = pluck<string>(db, "SELECT op FROM ops WHERE id = ?", opId);
  if (json === undefined) throw new Error(`materialiser: op ${opId} is applied but not in the ops table`);
  const op = JSON.parse(json) as { actor: string; body: { value?: JsonValue } };
  return { actor: op.actor, value: op.body.value ?? null };
}
