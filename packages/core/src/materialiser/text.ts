/**
 * Text fields (docs/design.md §4 rule 2): the union of Yjs updates.
 *
 * Y.Doc layout (every replica and every command uses the same one): one
 * Y.Doc per (entity type, entity id, field); the field's text is
 * `doc.getText(field)`. A `text` op's update is an update of that doc.
 *
 * m_texts keeps one merged update per field (`Y.mergeUpdates` of the stored
 * one and the new ones: no Y.Doc is built to apply an edit; see `compact`
 * for how deleted content is dropped now and then). The plain text
 * is read by decoding it (`readText`, `loadTextDoc`). Updates commute and
 * are idempotent, so late or duplicated `text` ops are simply merged in.
 *
 * One op's content never aborts a batch (issue 7): an update that is not a
 * text update of its field (op/yjs-update.ts, the decoder's rule, checked
 * again for ops stored before it) is skipped and recorded in `m_unapplied`
 * with the reason; that depends on the op alone, so every replica skips the
 * same ops. If Yjs still throws merging the rest (none is known), each
 * update is tried alone on an empty doc (skipped if that throws: the op
 * alone decides) and the others are merged one at a time in HLC order,
 * skipping any that throws. A field's first update, stored as it is, is
 * applied once to check that it can be read. (Applying every update to a
 * Y.Doc would cost ~100x the reader: it is done only on these paths.)
 */
import type Database from "better-sqlite3";
import * as Y from "yjs";
import type { EntityType } from "../op/op.js";
import { textUpdateProblem } from "../op/yjs-update.js";
import { prep, prepPluck, prepRaw } from "../op-log/statements.js";

export interface TextBatch {
  readonly type: EntityType;
  readonly id: string;
  readonly field: string;
  /** HLC order (ops are queued in HLC order). */
  readonly updates: Array<{ readonly op: string; readonly update: string }>;
}

/** Queues a base64 update for `flushTexts`; returns its size (for callers that bound the queue). */
export function queueText(
  batches: Map<string, TextBatch>,
  type: EntityType,
  id: string,
  field: string,
  op: string,
  update: string,
): number {
  const key = JSON.stringify([type, id, field]);
  let batch = batches.get(key);
  if (batch === undefined) {
    batch = { type, id, field, updates: [] };
    batches.set(key, batch);
  }
  batch.updates.push({ op, update });
  return update.length;
}

/** An op whose content could not be applied, and why (also recorded in `m_unapplied`). */
export interface Unapplied {
  readonly op: string;
  readonly reason: string;
}

/** Merges and empties the queued updates: one read and one write per field; skipped ops are added to `unapplied`. */
export function flushTexts(db: Database.Database, batches: Map<string, TextBatch>, unapplied: Array<Unapplied> = []): void {
  // Most batches (every command but a text edit) hold no text: skip building `record`.
  if (batches.size === 0) return;
  const record = (op: string, reason: string): void => {
    prep(db, "INSERT OR IGNORE INTO m_unapplied (op_id, reason) VALUES (?, ?)").run(op, reason);
    unapplied.push({ op, reason });
  };
  for (const batch of batches.values()) {
    const row = prepRaw(db, "SELECT state, compacted FROM m_texts WHERE type = ? AND id = ? AND field = ?").get(
      batch.type,
      batch.id,
      batch.field,
    ) as [Buffer, number] | undefined;
    const updates = applicableUpdates(batch, record);
    if (updates.length === 0) continue;
    if (row !== undefined) updates.unshift({ op: "", bytes: row[0] });
    const merged = mergeGuarded(batch.field, updates, record);
    if (merged === undefined) continue;
    let state = merged;
    let compacted = row?.[1] ?? 0;
    if (state.byteLength > 2 * compacted + COMPACT_SLACK) {
      state = compact(batch.field, state);
      compacted = state.byteLength;
    }
    prep(
      db,
      `INSERT INTO m_texts (type, id, field, state, compacted) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(type, id, field) DO UPDATE SET state = excluded.state, compacted = excluded.compacted`,
    ).run(batch.type, batch.id, batch.field, Buffer.from(state.buffer, state.byteOffset, state.byteLength), compacted);
  }
  batches.clear();
}

interface Update {
  /** The op's id ("" for the stored state). */
  readonly op: string;
  readonly bytes: Uint8Array;
}

type RecordUnapplied = (op: string, reason: string) => void;

/** The batch's updates that follow the text-update rule; the others are recorded as unapplied. */
function applicableUpdates(batch: TextBatch, record: RecordUnapplied): Array<Update> {
  const out: Array<Update> = [];
  for (const { op, update } of batch.updates) {
    const bytes = Buffer.from(update, "base64");
    const reason = textUpdateProblem(bytes, batch.field);
    if (reason === undefined) out.push({ op, bytes });
    else record(op, reason);
  }
  return out;
}

function yjsCannotApply(field: string, bytes: Uint8Array): string | undefined {
  try {
    docOf(field, bytes).destroy();
    return undefined;
  } catch (error) {
    return `Yjs cannot apply the update: ${describeError(error)}`;
  }
}

/**
 * Y.mergeUpdates of all (the first may be the stored state, op ""); if that
 * throws, one at a time as described above. Undefined: nothing to store.
 */
function mergeGuarded(field: string, updates: ReadonlyArray<Update>, record: RecordUnapplied): Uint8Array | undefined {
  if (updates.length === 1) {
    // A new field's first update becomes its state as it is: check it can be read.
    const only = updates[0] as Update;
    const reason = yjsCannotApply(field, only.bytes);
    if (reason === undefined) return only.bytes;
    record(only.op, reason);
    return undefined;
  }
  try {
    return Y.mergeUpdates(updates.map((u) => u.bytes));
  } catch {
    let state: Uint8Array | undefined;
    for (const u of updates) {
      const alone = u.op === "" ? undefined : yjsCannotApply(field, u.bytes);
      if (alone !== undefined) {
        record(u.op, alone);
        continue;
      }
      try {
        const merged = state === undefined ? u.bytes : Y.mergeUpdates([state, u.bytes]);
        docOf(field, merged).destroy();
        state = merged;
      } catch (error) {
        record(u.op, `Yjs cannot merge the update into the field's text: ${describeError(error)}`);
      }
    }
    return state;
  }
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A merged update keeps the content of deleted text; a Y.Doc round trip
 * drops it (Yjs GC). Done when the state has doubled since the last
 * compaction (plus this slack), so its cost is amortised over the edits.
 */
export const COMPACT_SLACK = 16 * 1024;

function compact(field: string, state: Uint8Array): Uint8Array {
  const doc = docOf(field, state);
  const compacted = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return compacted;
}

/** A fresh Y.Doc holding the field's merged state (empty if never written). */
export function loadTextDoc(db: Database.Database, type: EntityType, id: string, field: string): Y.Doc {
  return docOf(field, readState(db, type, id, field));
}

export function hasText(db: Database.Database, type: EntityType, id: string, field: string): boolean {
  return readState(db, type, id, field) !== undefined;
}

/** The field's current plain text (undefined: never written). */
export function readText(db: Database.Database, type: EntityType, id: string, field: string): string | undefined {
  const state = readState(db, type, id, field);
  return state === undefined ? undefined : decodeText(field, state).text;
}

/** Every written text field of an entity, as plain text. */
export function readTexts(db: Database.Database, type: EntityType, id: string): Array<[string, string]> {
  const rows = prepRaw(db, "SELECT field, state FROM m_texts WHERE type = ? AND id = ?").all(type, id) as Array<[string, Buffer]>;
  return rows.map(([field, state]) => [field, decodeText(field, state).text]);
}

/** Plain text and state vector (base64) of a stored state: what replicas compare. */
export function decodeText(field: string, state: Uint8Array): { text: string; sv: string } {
  const doc = docOf(field, state);
  const result = { text: doc.getText(field).toString(), sv: Buffer.from(Y.encodeStateVector(doc)).toString("base64") };
  doc.destroy();
  return result;
}

function docOf(field: string, state: Uint8Array | undefined): Y.Doc {
  // A fixed guid: the default draws a random UUID per doc, which is slow.
  const doc = new Y.Doc({ guid: "qc-text" });
  doc.getText(field);
  if (state !== undefined) Y.applyUpdate(doc, state);
  return doc;
}

function readState(db: Database.Database, type: EntityType, id: string, field: string): Buffer | undefined {
  return prepPluck(db, "SELECT state FROM m_texts WHERE type = ? AND id = ? AND field = ?").get(type, id, field) as Buffer | undefined;
}
