/**
 * Migration 9 (schema.ts, docs/decisions/0024-outbox-as-acked-position.md):
 * the `outbox` table, its three triggers and the per-op `acks` rows give way
 * to an acked position (meta `acked_through`) and two exception tables that
 * are empty as a rule (outbox.ts).
 *
 * The outbox stays exactly what the `outbox` table held: the position is the
 * highest own op below the first one that waits (the highest own op if none
 * waits), so every own op up to it was acked; `acks` keeps only own ops above
 * it that do not wait (acked beyond a gap). No op waits below the position,
 * so `outbox_behind` starts empty. A file without `meta.replica` has no own
 * op (the op log writes it before its first op): its acks say nothing.
 * The outbox's index (`ops_own_time`) is made by the op log on open (outbox.ts), which knows
 * the replica of a new file too.
 */
import type Database from "better-sqlite3";
import { hlcOfKey } from "./hlc-key.js";

export const SCHEMA_9_SQL = `
DROP TRIGGER IF EXISTS outbox_own_op;
DROP TRIGGER IF EXISTS outbox_acked;
DROP TRIGGER IF EXISTS outbox_unacked;
CREATE TABLE outbox_behind (hlc BLOB PRIMARY KEY) WITHOUT ROWID;
`;

export function toAckedPosition(db: Database.Database): void {
  const replica = db.prepare("SELECT value FROM meta WHERE key = 'replica'").pluck().get() as string | undefined;
  if (replica !== undefined) {
    const own = "substr(o.hlc, 9) = unhex(?)";
    const through = db
      .prepare(`SELECT max(o.hlc) FROM ops o WHERE ${own} AND o.hlc < coalesce((SELECT min(hlc) FROM outbox), X'${"ff".repeat(17)}')`)
      .pluck()
      .get(replica) as Buffer | null;
    const above = through ?? Buffer.alloc(0);
    db.prepare("DELETE FROM acks WHERE hlc <= ? OR substr(hlc, 9) != unhex(?) OR hlc IN (SELECT hlc FROM outbox)").run(above, replica);
    // An own op above the position that the table did not list was acked (the table was the outbox).
    db.prepare(
      `INSERT OR IGNORE INTO acks (hlc, acked_at) SELECT o.hlc, ? FROM ops o
       WHERE ${own} AND o.hlc > ? AND o.hlc NOT IN (SELECT hlc FROM outbox)`,
    ).run(new Date().toISOString(), replica, above);
    db.prepare("DELETE FROM acks WHERE hlc NOT IN (SELECT hlc FROM ops)").run();
    if (through !== null) db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('acked_through', ?)").run(hlcOfKey(through));
  } else db.exec("DELETE FROM acks");
  db.exec("DROP TABLE outbox");
}
