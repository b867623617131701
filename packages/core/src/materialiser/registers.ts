/**
 * LWW registers (docs/design.md §4 rule 1) and `concurrent-edit` conflicts.
 *
 * Invariants:
 * - a register holds the value of its highest-HLC write; the upsert only
 *   overwrites with a higher HLC, so any arrival order gives the same row;
 * - two `set`s of one register with the same `prev` (as a set of ids) saw
 *   the same history and not each other: each such pair is a
 *   `concurrent-edit` conflict, id = hash of the two op ids. A `set` without
 *   `prev` (author did not say what it saw) never forms a conflict;
 * - `registerHeads` = the winning write plus writes no other write lists in
 *   `prev`: what a new write should carry as its `prev` (at most MAX_PREV:
 *   the winner and the newest others, so a flood of concurrent writes
 *   cannot make every later write of the register invalid).
 */
import type Database from "better-sqlite3";
import { canonicalJson } from "../op/canonical.js";
import { MAX_PREV } from "../op/op.js";
import type { EntityType, JsonValue } from "../op/op.js";
import { conflictId, putConflict } from "./conflicts.js";
import { concurrentPairs, prevKey as keyOfPrev, registerHeads as headsOf } from "./rules/concurrent-edits.js";
import { pluck, prep, prepRaw } from "../op-log/statements.js";

export function writeRegister(db: Database.Database, type: EntityType, id: string, field: string, value: JsonValue, hlc: string): void {
  prep(
    db,
    `INSERT INTO m_registers (type, id, field, value, hlc) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT(type, id, field) DO UPDATE SET value = excluded.value, hlc = excluded.hlc
     WHERE excluded.hlc > m_registers.hlc`,
  ).run(type, id, field, typeof value === "object" && value !== null ? canonicalJson(value) : JSON.stringify(value), hlc);
}

/**
 * Records a `set` that says what it saw (`prev`) and reports concurrent
 * edits with the writes that saw the same. Writes without `prev` (creates,
 * or sets from authors that did not say) are not recorded: they never form
 * a concurrent edit and are a head only while they win the register.
 */
export function recordWrite(
  db: Database.Database,
  type: EntityType,
  id: string,
  field: string,
  prev: ReadonlyArray<string> | undefined,
  opId: string,
  detect: boolean,
): void {
  if (prev === undefined) return;
  const prevKey = keyOfPrev(prev);
  if (detect) {
    const siblings = prepRaw(
      db,
      "SELECT op_id FROM m_register_writes WHERE type = ? AND id = ? AND field = ? AND prev_key = ? AND op_id <> ?",
    ).all(type, id, field, prevKey, opId) as Array<[string]>;
    for (const [other] of siblings) reportConcurrentEdit(db, type, id, field, opId, other);
  }
  prep(db, "INSERT OR IGNORE INTO m_register_writes (type, id, field, prev_key, op_id) VALUES (?, ?, ?, ?, ?)").run(
    type,
    id,
    field,
    prevKey,
    opId,
  );
}

/** Rebuild: reports every concurrent edit at once instead of one lookup per write. */
export function detectAllConcurrentEdits(db: Database.Database): void {
  const groups = prepRaw(
    db,
    `SELECT type, id, field, json_group_array(op_id) FROM m_register_writes
     GROUP BY type, id, field, prev_key HAVING count(*) > 1`,
  ).all() as Array<[EntityType, string, string, string]>;
  for (const [type, id, field, json] of groups) {
    for (const [a, b] of concurrentPairs(JSON.parse(json) as Array<string>)) reportConcurrentEdit(db, type, id, field, a, b);
  }
}

/**
 * Op ids (sorted) of the register's heads: its winning write plus recorded
 * writes no other write lists in `prev` (concurrent ones not yet seen by a
 * later write). A new write carries them as its `prev`.
 */
export function registerHeads(db: Database.Database, type: EntityType, id: string, field: string): Array<string> {
  const winner = pluck<string>(db, "SELECT hlc FROM m_registers WHERE type = ? AND id = ? AND field = ?", type, id, field);
  const rows = prepRaw(db, "SELECT prev_key, op_id FROM m_register_writes WHERE type = ? AND id = ? AND field = ?").all(
    type,
    id,
    field,
  ) as Array<[string, string]>;
  // A `prev` holds at most MAX_PREV ids (op.ts).
  return headsOf(
    winner,
    rows.map(([prevKey, opId]) => ({ prevKey, opId })),
    MAX_PREV,
  );
}

function reportConcurrentEdit(db: Database.Database, type: EntityType, id: string, field: string, a: string, b: string): void {
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
