/**
 * The sync cursor: which remote stream this replica follows and the highest
 * server seq it ingested. One row at most.
 *
 * Invariant: a replica never mixes two streams. A cursor whose project or
 * stream differs from the stored one is refused; only `resetSync` (an
 * explicit switch of deployment) forgets the stored one. The seq never goes
 * backwards: a replayed older page leaves it where it is.
 */
import type Database from "better-sqlite3";
import type { SyncCursor } from "../sync/syncable-replica.js";
import { OpLogError } from "./errors.js";

export function readCursor(db: Database.Database): SyncCursor | undefined {
  const row = db.prepare("SELECT deployment, project, stream, seq FROM sync_cursor WHERE one = 1").get() as
    { deployment: string; project: string; stream: string; seq: number } | undefined;
  if (row === undefined) return undefined;
  return { identity: { deployment: row.deployment, project: row.project, stream: row.stream }, seq: row.seq };
}

/** Throws unless `cursor` may follow the stored cursor of replica `project`. */
export function checkCursor(db: Database.Database, project: string, cursor: SyncCursor): void {
  const { identity } = cursor;
  if (identity.project !== project) {
    throw new OpLogError({
      reason: "wrong-project",
      message: `sync refused: the remote stream is for project ${identity.project}, this replica holds project ${project}; connect it to its own project`,
    });
  }
  const stored = readCursor(db);
  if (stored !== undefined && stored.identity.stream !== identity.stream) {
    throw new OpLogError({
      reason: "wrong-stream",
      message:
        `sync refused: this replica follows stream ${stored.identity.stream} (${stored.identity.deployment}), ` +
        `not ${identity.stream} (${identity.deployment}); to switch deployment on purpose, reset sync first`,
    });
  }
  if (!Number.isSafeInteger(cursor.seq) || cursor.seq < 0) {
    throw new OpLogError({ reason: "wrong-stream", message: `sync refused: cursor seq must be a non-negative integer, got ${cursor.seq}` });
  }
}

/** Stores the cursor (seq only ever moves forward). Caller owns the transaction. */
export function writeCursor(db: Database.Database, cursor: SyncCursor): void {
  const { deployment, project, stream } = cursor.identity;
  db.prepare(
    `INSERT INTO sync_cursor (one, deployment, project, stream, seq) VALUES (1, ?, ?, ?, ?)
     ON CONFLICT (one) DO UPDATE SET deployment = excluded.deployment, seq = max(seq, excluded.seq)`,
  ).run(deployment, project, stream, cursor.seq);
}

export function clearCursor(db: Database.Database): void {
  db.exec("DELETE FROM sync_cursor");
}
