/**
 * Opens the SQLite file of a replica: a look first, then pragmas and
 * migrations.
 *
 * - The look (file-kind.ts) happens before any write: a file that is not
 *   qc's (another application's database, a text file) is refused with
 *   "not-a-replica" and left byte for byte as it was — no WAL switch, no
 *   table. `expect: "replica"` (openReplica) opens only a qc file;
 *   `expect: "new"` (createReplica) takes a missing or empty file only.
 *   A qc file as qc leaves it is looked at on the read-write connection
 *   the open then keeps (one connection per reopen, docs/decisions/0022);
 *   any other file read-only, before a read-write connection exists.
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
 * - The WAL checkpoint is kept off the edit path (wal-checkpoint.ts,
 *   docs/decisions/0015, 0033): a background connection checkpoints past
 *   32 MiB of WAL and the app's idle step truncates it. SQLite's own
 *   automatic checkpoint, which runs inside a commit and stalled it, fires
 *   only at WAL_CAP_PAGES (128 MiB), the hard bound for a process whose
 *   background checkpoint cannot keep up. journal_size_limit cuts the WAL
 *   file back to 16 MiB (KEEP_BYTES) each time it starts over.
 * - cache_size: CACHE_KIB of page cache instead of SQLite's 2 MiB. A page of
 *   a catch-up or a batch of commands touches registers, entities and write
 *   records all over the project; once those pages outgrow the cache, each
 *   is read back from the OS (a system call) and dirty ones are spilled to
 *   the WAL mid-transaction, more often the larger the project
 *   (docs/decisions/0032). The cache only grows as pages are touched, so a
 *   small project's file costs no more than its size.
 * - busy_timeout: another process (CLI next to the MCP server) may hold the
 *   write lock for a moment.
 * Foreign keys are not used: the op log references nothing.
 */
import Database from "better-sqlite3";
import { OpLogError } from "./errors.js";
import { classifyToOpen, notReplica, type OpenLook } from "./file-kind.js";
import { migrate } from "./schema.js";
import { KEEP_BYTES } from "./wal-checkpoint.js";

/** Page cache per replica connection, KiB (SQLite's default is 2,000). */
export const CACHE_KIB = 16_384;

/**
 * SQLite's automatic checkpoint (inside a commit) only past this many pages: 128 MiB of 4 KiB pages, four times
 * the background checkpoint's soft limit (a loop of single edits peaks around 45 MB of WAL, decision 0033).
 */
export const WAL_CAP_PAGES = 32_768;

export interface OpenDbOptions {
  /** "replica": an existing qc file; "new": a missing or empty file that becomes one. */
  readonly expect: "replica" | "new";
  readonly synchronous?: "full" | "normal";
}

export function openDb(path: string, options: OpenDbOptions): Database.Database {
  const db = admit(path, options.expect) ?? new Database(path);
  try {
    // One exec: each db.pragma call is a prepare and a step of its own.
    db.exec(`${path === ":memory:" ? "" : "PRAGMA journal_mode = WAL;"}
      PRAGMA synchronous = ${options.synchronous === "full" ? "FULL" : "NORMAL"};
      PRAGMA wal_autocheckpoint = ${WAL_CAP_PAGES};
      PRAGMA journal_size_limit = ${KEEP_BYTES};
      PRAGMA cache_size = -${CACHE_KIB};
      PRAGMA busy_timeout = 5000;`);
    migrate(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Refuses, before anything is written, a file that this open must not touch;
 * returns the look's read-write connection when it made one.
 */
function admit(path: string, expect: OpenDbOptions["expect"]): Database.Database | undefined {
  const file = classifyToOpen(path);
  if (expect === "replica" && file.kind !== "replica") throw notReplica(path, file.why);
  if (expect === "new" && file.kind !== "missing" && file.kind !== "empty") refuseExisting(path, file);
  return file.kind === "replica" ? file.db : undefined;
}

function refuseExisting(path: string, file: OpenLook): never {
  if (file.kind === "replica") file.db?.close();
  const what = file.kind === "replica" ? `it holds qc project ${file.project}` : file.why;
  throw new OpLogError({
    reason: "file-exists",
    message: `${path} already exists and is not empty (${what}); choose a new file name (qc never overwrites a file)`,
  });
}
