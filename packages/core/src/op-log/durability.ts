/**
 * The durability barrier: before an op leaves this machine (outbox for the
 * server, opsAfter for peers), every committed transaction is made durable.
 *
 * Why: the file runs with synchronous=NORMAL (see open-db.ts), where a power
 * loss may roll back the last commits. Losing an edit nobody else has seen
 * is tolerable; losing one that was already sent is not — the clock (seeded
 * from the log) and the Yjs client clock could then reissue the same op id
 * or Yjs item with other content ("id-reused" at the server, corrupted text
 * merges). So the fsync cost is paid once per push, not once per keystroke.
 *
 * How: a PASSIVE checkpoint syncs the WAL, copies it into the database and
 * syncs that; it never waits for other connections. If another connection's
 * read snapshot kept it from checkpointing everything, the WAL file itself
 * is fsynced, which makes every committed frame durable.
 */
import type Database from "better-sqlite3";
import { closeSync, existsSync, fsyncSync, openSync } from "node:fs";

export function makeDurable(db: Database.Database): void {
  if (db.memory || db.inTransaction) return;
  if (db.pragma("synchronous", { simple: true }) === 2) return; // FULL: every commit is already durable
  const [result] = db.pragma("wal_checkpoint(PASSIVE)") as Array<{ busy: number; log: number; checkpointed: number }>;
  if (result === undefined || (result.busy === 0 && result.log === result.checkpointed)) return;
  fsyncFile(`${db.name}-wal`);
}

function fsyncFile(path: string): void {
  if (!existsSync(path)) return;
  const fd = openSync(path, "r+");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
