/**
 * Text fields (DESIGN.md §4 rule 2): the union of Yjs updates.
 *
 * Y.Doc layout (every replica and every command uses the same one): one
 * Y.Doc per (entity type, entity id, field); the field's text is
 * `doc.getText(field)`. A `text` op's update is an update of that doc.
 * m_texts keeps the merged state (`Y.encodeStateAsUpdate`), the plain text
 * and the state vector (base64) of the integrated structs.
 *
 * Invariants: updates commute and are idempotent, so a late or duplicated
 * `text` op is simply applied; all updates of one field in a batch share one
 * decode/encode of the stored state.
 */
import type Database from "better-sqlite3";
import * as Y from "yjs";
import type { EntityType } from "../op/op.js";
import { prep, prepPluck } from "./statements.js";

export interface TextBatch {
  readonly type: EntityType;
  readonly id: string;
  readonly field: string;
  readonly updates: Array<string>;
}

/** Queues a base64 update for `flushTexts`; returns its size (for callers that bound the queue). */
export function queueText(
  batches: Map<string, TextBatch>,
  type: EntityType,
  id: string,
  field: string,
  update: string,
): number {
  const key = JSON.stringify([type, id, field]);
  let batch = batches.get(key);
  if (batch === undefined) {
    batch = { type, id, field, updates: [] };
    batches.set(key, batch);
  }
  batch.updates.push(update);
  return update.length;
}

/** Applies and empties the queued updates: one load, one merged update and one store per field. */
export function flushTexts(db: Database.Database, batches: Map<string, TextBatch>): void {
  for (const batch of batches.values()) {
    const doc = loadTextDoc(db, batch.type, batch.id, batch.field);
    const updates = batch.updates.map((u) => Buffer.from(u, "base64"));
    // Merging first lets Yjs integrate the structs of many updates in one pass.
    Y.applyUpdate(doc, updates.length === 1 ? (updates[0] as Uint8Array) : Y.mergeUpdates(updates));
    storeText(db, batch.type, batch.id, batch.field, doc);
    doc.destroy();
  }
  batches.clear();
}

/** A fresh Y.Doc holding the field's merged state (empty if never written). */
export function loadTextDoc(db: Database.Database, type: EntityType, id: string, field: string): Y.Doc {
  // A fixed guid: the default draws a random UUID, which dominated rebuild time.
  const doc = new Y.Doc({ guid: "qc-text" });
  doc.getText(field);
  const state = prepPluck(db, "SELECT state FROM m_texts WHERE type = ? AND id = ? AND field = ?").get(type, id, field) as Buffer | undefined;
  if (state !== undefined) Y.applyUpdate(doc, state);
  return doc;
}

export function readText(db: Database.Database, type: EntityType, id: string, field: string): string | undefined {
  return prepPluck(db, "SELECT text FROM m_texts WHERE type = ? AND id = ? AND field = ?").get(type, id, field) as
    | string
    | undefined;
}

function storeText(db: Database.Database, type: EntityType, id: string, field: string, doc: Y.Doc): void {
  const state = Y.encodeStateAsUpdate(doc);
  const sv = Buffer.from(Y.encodeStateVector(doc)).toString("base64");
  prep(
    db,
    `INSERT INTO m_texts (type, id, field, state, text, sv) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT(type, id, field) DO UPDATE SET state = excluded.state, text = excluded.text, sv = excluded.sv`,
  ).run(type, id, field, Buffer.from(state), doc.getText(field).toString(), sv);
}
