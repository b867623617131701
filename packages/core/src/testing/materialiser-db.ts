/**
 * Test helpers for the materialiser's own tests: a fresh in-memory replica
 * (ops table + materialiser), ingest that behaves like the op log (store new
 * ids, skip known ones, then apply in the same transaction), and text edits
 * made with real Y.Docs.
 */
import Database from "better-sqlite3";
import * as Y from "yjs";
import type { EntityType, Op } from "../op/op.js";
import { applyOps, installMaterialiser, loadText } from "../materialiser/index.js";
import { encodeOp } from "../op-log/op-codec.js";
import { hasOp } from "../op-log/ops-store.js";
import { insertOps, OPS_TABLE_SQL } from "../op-log/ops-table.js";

export { at, R1, R2, R3 } from "./pure/test-hlc.js";

export function openTestDb(): Database.Database {
  const db = new Database(":memory:");
  db.exec(OPS_TABLE_SQL);
  installMaterialiser(db);
  return db;
}

/** Stores the ops not yet in `ops` and applies them, in one transaction (as the op log does). */
export function ingest(db: Database.Database, ops: ReadonlyArray<Op>): void {
  db.transaction(() => {
    const fresh: Array<Op> = [];
    const ids = new Set<string>();
    for (const op of ops) {
      if (ids.has(op.id) || hasOp(db, op.id)) continue;
      ids.add(op.id);
      fresh.push(op);
    }
    insertOps(db, fresh, encodeOp);
    applyOps(db, fresh);
  })();
}

/** A base64 `text` update that applies `edit` to the field's current text on this replica. */
export function textUpdate(db: Database.Database, type: EntityType, id: string, field: string, edit: (text: Y.Text) => void): string {
  const doc = loadText(db, type, id, field);
  const before = Y.encodeStateVector(doc);
  edit(doc.getText(field));
  const update = Y.encodeStateAsUpdate(doc, before);
  doc.destroy();
  return Buffer.from(update).toString("base64");
}

export function byHlc(a: Op, b: Op): number {
  return a.hlc < b.hlc ? -1 : a.hlc > b.hlc ? 1 : 0;
}
