/**
 * Opens the SQLite file of a replica: a read-only look first, then pragmas
 * and migrations.
 *
 * - The look (file-kind.ts) happens before any write: a file that is not
 *   qc's (another application's database, a text file) is refused with
 *   "not-a-replica" and left byte for byte as it was — no WAL switch, no
 *   table. `expect: "replica"` (openReplica) opens only a qc file;
 *   `expect: "new"` (createReplica) takes a missing or empty file only.
 *
 * - WAL: readers never block the writer; commits are appends to the WAL.
 * - synchronous=NORMAL (default): a commit is atomic and survives a process
 *   crash; a power loss may roll back the last commits. That keeps one
 *   interactive edit (append + materialise) around a millisecond instead of
 *   an fsync (measured on the 2-core VM: p50 1.4 ms NORMAL vs 8 ms FULL). The
 *   one case where a lost commit would do harm — an op that already left the
 *   machine — is closed by the durability barrier (durability.ts) that runs
 *   before ops are handed out for sync. `synchronous: "full"` makes every
 *   commit durable instead (for callers who cannot run the barrier).
 * - wal_autocheckpoint = 4000 pages (16 MiB of WAL, SQLite's default is
 *   1000): an automatic checkpoint runs inside the commit that crosses the
 *   threshold and, with an edit writing ~15 pages (log, indexes, entity and
 *   derived tables), stalled one edit in ~65 for ~6 ms. The durability
 *   barrier checkpoints before every push anyway, so while sync is on the
 *   automatic one rarely fires; with sync off it fires 4x less often.
 * - busy_timeout: another process (CLI next to the MCP server) may hold the
 *   write lock for a moment.
 * Foreign keys are not used: the op log references nothing.
 */
import Database from "better-sqlite3";
import { OpLogError } from "./errors.js";
import { classifyFile, notReplica } from "./file-kind.js";
import { migrate } from "./schema.js";

export interface OpenDbOptions {
  /** "replica": an existing qc file; "new": a missing or empty file that becomes one. */
  readonly expect: "replica" | "new";
  readonly synchronous?: "full" | "normal";
}

export function openDb(path: string, options: OpenDbOptions): Database.Database {
  admit(path, options.expect);
  const db = new Database(path);
  try {
    if (path !== ":memory:") db.pragma("journal_mode = WAL");
    db.pragma(`synchronous = ${options.synchronous === "full" ? "FULL" : "NORMAL"}`);
    db.pragma("wal_autocheckpoint = 4000");
    db.pragma("busy_timeout = 5000");
    migrate(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Refuses, before anything is written, a file that this open must not touch. */
function admit(path: string, expect: OpenDbOptions["expect"]): void {
  const file = classifyFile(path);
  const creatable = file.kind === "missing" || file.kind === "empty";
  if (expect === "replica" && file.kind !== "replica") throw notReplica(path, file.why);
  if (expect === "new" && !creatable) {
    const what = file.kind === "replica" ? `it holds qc project ${file.info.project}` : file.why;
    throw new OpLogError({
      reason: "file-exists",
      message: `${path} already exists and is not empty (${what}); choose a new file name (qc never overwrites a file)`,
    });
  }
}
