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
 *   cannot make every later write of the register invalid);
 * - m_registers.unseen = the recorded writes no recorded write lists in its
 *   `prev` (all of them, uncapped), seen_max = the highest id any recorded
 *   `prev` lists: both a function of the recorded writes, kept per write so
 *   neither the heads nor the concurrent-edit check reads the register's
 *   whole history (docs/decisions/0014);
 * - op ids are stored as 16-byte HLC keys and prevs as their keys
 *   (register-keys.ts, docs/decisions/0026): the SQL below compares keys,
 *   the JS sees op ids.
 */
import type Database from "better-sqlite3";
import { canonicalJson } from "../op/canonical.js";
import { MAX_PREV } from "../op/op.js";
import type { EntityType, JsonValue, SetOp } from "../op/op.js";
import { conflictId, putConflict } from "./conflicts.js";
import { idsOfKeys, keysOfIds, opIdOfKey, opKey, registerTag, writeRecordOf, type WriteRecord } from "./register-keys.js";
import { addWrite, concurrentPairs, registerHeads as headsOf } from "./rules/concurrent-edits.js";
import { findOp } from "../op-log/ops-store.js";
import { prep, prepRaw } from "../op-log/statements.js";

export function writeRegister(db: Database.Database, type: EntityType, id: string, field: string, value: JsonValue, hlc: string): void {
  prep(
    db,
    `INSERT INTO m_registers (type, id, field, value, hlc) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT(type, id, field) DO UPDATE SET value = excluded.value, hlc = excluded.hlc
     WHERE excluded.hlc > m_registers.hlc`,
  ).run(type, id, field, encodeValue(value), opKey(hlc));
}

/**
 * A `set`: the register's LWW write and, when it says what it saw (`prev`),
 * its write record (rows of m_register_writes keyed by what it saw, which
 * is as a rule the register's previous write: near the end of the log, so
 * records of one page of edits share a few leaves; docs/decisions/0027),
 * the register's unseen writes, and (with `detect`) the concurrent edits
 * with writes that saw the same. Writes without `prev` (creates, or sets
 * from authors that did not say) are not recorded: they never form a
 * concurrent edit and are a head only while they win the register.
 */
export function writeSet(db: Database.Database, op: SetOp, detect: boolean): void {
  const { type, id } = op.target;
  const { field, value } = op.body;
  const { prev } = op;
  if (prev === undefined) return writeRegister(db, type, id, field, value, op.hlc);
  const record = writeRecordOf(prev);
  const { seen, firstKey } = record;
  const own = opKey(op.id); // = opKey(op.hlc): an op's id is its HLC
  const reg = registerTag(type, id, field);
  const recorded = prep(db, "INSERT OR IGNORE INTO m_register_writes (seen, op_id, reg, first, prev_key) VALUES (?, ?, ?, 1, ?)").run(
    seen[0],
    own,
    reg,
    firstKey,
  );
  if (recorded.changes === 0) return; // applied before: every effect below is there already
  for (let i = 1; i < seen.length; i++) {
    prep(db, "INSERT INTO m_register_writes (seen, op_id, reg, first) VALUES (?, ?, ?, 0)").run(seen[i], own, reg);
  }
  const listsItself = prev.includes(op.id); // hostile: never the common write, and seen by itself
  if (!listsItself && writeAfterUnseen(db, op, own, record)) return;
  const row = prepRaw(db, "SELECT hlc, unseen, seen_max FROM m_registers WHERE type = ? AND id = ? AND field = ?").get(type, id, field) as
    [Buffer, Buffer | null, Buffer | null] | undefined;
  const unseen = idsOfKeys(row?.[1]);
  const seenMax = row?.[2] ?? null;
  // Ids in the prevs of recorded writes are all <= seen_max: a newer op is
  // listed by none of them, so only a late one looks for a write that saw it.
  const listed = listsItself || (seenMax !== null && Buffer.compare(own, seenMax) <= 0 && isSeen(db, own, reg, op));
  const next = keysOfIds(addWrite(unseen, prev, op.id, listed));
  const { top: prevTop } = record;
  const top = prevTop === undefined || (seenMax !== null && Buffer.compare(seenMax, prevTop) >= 0) ? seenMax : prevTop;
  if (row === undefined) {
    prep(db, "INSERT INTO m_registers (type, id, field, value, hlc, unseen, seen_max) VALUES (?, ?, ?, ?, ?, ?, ?)").run(
      type,
      id,
      field,
      encodeValue(value),
      own,
      next,
      top,
    );
  } else if (Buffer.compare(own, row[0]) > 0) {
    prep(db, "UPDATE m_registers SET value = ?, hlc = ?, unseen = ?, seen_max = ? WHERE type = ? AND id = ? AND field = ?").run(
      encodeValue(value),
      own,
      next,
      top,
      type,
      id,
      field,
    );
  } else {
    prep(db, "UPDATE m_registers SET unseen = ?, seen_max = ? WHERE type = ? AND id = ? AND field = ?").run(next, top, type, id, field);
  }
  // A write that saw an unseen write has no sibling: a recorded write with
  // the same prev would have made that write seen. So only a write whose
  // prev holds no unseen write (the first after a create, a concurrent or
  // a late one) looks for siblings: the first rows of the writes that saw
  // the same lowest entry (prev_key IS ?: NULL for a one-HLC prev).
  if (!detect || prev.some((p) => unseen.includes(p))) return;
  const siblings = prepRaw(
    db,
    "SELECT op_id FROM m_register_writes WHERE seen = ? AND first = 1 AND prev_key IS ? AND reg = ? AND op_id <> ?",
  ).all(seen[0], firstKey, reg, own) as Array<[Buffer]>;
  for (const other of writesOf(db, op, siblings)) reportConcurrentEdit(db, type, id, field, op.id, other.id);
}

/**
 * The common write, in one statement and no read: its prev is exactly the
 * register's unseen writes (the heads `registerHeads` handed its author,
 * when the winner is one of them) and its id is above seen_max. Then the
 * unseen writes become this write alone, no recorded write lists it, and it
 * has no sibling (its prev holds an unseen write): what the general path
 * of `writeSet` computes from the row, here computed by SQLite on it. Writes
 * nothing and returns false when the register is in any other state.
 */
function writeAfterUnseen(db: Database.Database, op: SetOp, own: Buffer, { key, top }: WriteRecord): boolean {
  // A prev that is not all HLCs (a TEXT key) cannot equal the unseen writes' keys; an empty one has no top.
  if (typeof key === "string" || top === undefined) return false;
  const { type, id } = op.target;
  const written = prep(
    db,
    `UPDATE m_registers SET value = CASE WHEN @own > hlc THEN @value ELSE value END, hlc = max(hlc, @own),
       unseen = @own, seen_max = max(coalesce(seen_max, @top), @top)
     WHERE type = @type AND id = @id AND field = @field AND unseen = @key AND (seen_max IS NULL OR seen_max < @own)`,
  ).run({ own, value: encodeValue(op.body.value), top, type, id, field: op.body.field, key });
  return written.changes === 1;
}

/** Whether a recorded write of `write`'s register (tag `reg`) lists `own` in its prev. */
function isSeen(db: Database.Database, own: Buffer, reg: number, write: SetOp): boolean {
  const rows = prepRaw(db, "SELECT op_id FROM m_register_writes WHERE seen = ? AND reg = ?").all(own, reg) as Array<[Buffer]>;
  return rows.some(([key]) => sameRegister(recordedWrite(db, opIdOfKey(key)), write));
}

/**
 * The ops of records a register's tag matched that really write `write`'s
 * register: a tag is a hash and two registers may share one
 * (register-keys.ts `registerTag`), so each is read back from the log. Only
 * the rare paths (a late write, a write with siblings) get here with rows.
 */
function writesOf(db: Database.Database, write: SetOp, rows: ReadonlyArray<[Buffer]>): Array<SetOp> {
  const ops = rows.map(([key]) => recordedWrite(db, opIdOfKey(key)));
  return ops.filter((op) => sameRegister(op, write));
}

function sameRegister(a: SetOp, b: SetOp): boolean {
  return a.target.type === b.target.type && a.target.id === b.target.id && a.body.field === b.body.field;
}

/** The `set` op of a write record (only sets are recorded). */
function recordedWrite(db: Database.Database, opId: string): SetOp {
  const op = findOp(db, opId);
  if (op?.kind !== "set") throw new Error(`materialiser: write record ${opId} names no set op in the ops table`);
  return op;
}

function encodeValue(value: JsonValue): string {
  return typeof value === "object" && value !== null ? canonicalJson(value) : JSON.stringify(value);
}

/** Rebuild: reports every concurrent edit at once instead of one lookup per write. */
export function detectAllConcurrentEdits(db: Database.Database): void {
  const groups = prepRaw(
    db,
    `SELECT json_group_array(hex(op_id)) FROM m_register_writes WHERE first = 1
     GROUP BY reg, seen, prev_key HAVING count(*) > 1`,
  ).all() as Array<[string]>;
  for (const [json] of groups) {
    const writes = (JSON.parse(json) as Array<string>).map((hex) => recordedWrite(db, opIdOfKey(Buffer.from(hex, "hex"))));
    // A tag shared by two registers puts both in one group: pair writes of one register only.
    const byRegister = new Map<string, Array<SetOp>>();
    for (const write of writes) {
      const key = JSON.stringify([write.target.type, write.target.id, write.body.field]);
      const same = byRegister.get(key);
      if (same === undefined) byRegister.set(key, [write]);
      else same.push(write);
    }
    for (const same of byRegister.values()) {
      const { target, body } = same[0] as SetOp;
      for (const [a, b] of concurrentPairs(same.map((w) => w.id))) reportConcurrentEdit(db, target.type, target.id, body.field, a, b);
    }
  }
}

/**
 * Op ids (sorted) of the register's heads: its winning write plus its
 * unseen writes (concurrent ones not yet seen by a later write), one row
 * read. A new write carries them as its `prev`.
 */
export function registerHeads(db: Database.Database, type: EntityType, id: string, field: string): Array<string> {
  const row = prepRaw(db, "SELECT hlc, unseen FROM m_registers WHERE type = ? AND id = ? AND field = ?").get(type, id, field) as
    [Buffer, Buffer | null] | undefined;
  if (row === undefined) return [];
  const winner = opIdOfKey(row[0]);
  // Commonly the winner is the one unseen write: one key to decode, not two.
  const unseen = row[1] !== null && row[1].equals(row[0]) ? [winner] : idsOfKeys(row[1]);
  // A `prev` holds at most MAX_PREV ids (op.ts).
  return headsOf(winner, unseen, MAX_PREV);
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
  const op = findOp(db, opId);
  if (op === undefined) throw new Error(`materialiser: op ${opId} is applied but not in the ops table`);
  return { actor: op.actor, value: (op.body as { value?: JsonValue }).value ?? null };
}
