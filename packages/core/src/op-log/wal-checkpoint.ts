/**
 * WAL checkpoints off the edit path (docs/decisions/0015).
 *
 * SQLite's automatic checkpoint runs inside the commit that crosses
 * `wal_autocheckpoint` pages and copies the whole WAL into the database:
 * one edit in a few hundred stalled for tens to hundreds of milliseconds.
 * Here the replica's connection checkpoints automatically only at a hard
 * cap (open-db.ts: WAL_CAP_PAGES, so a process that never idles still
 * bounds its WAL), and instead:
 *
 * - `afterCommit` (called after each outermost commit) looks at the WAL's
 *   size every CHECK_EVERY commits; past SOFT_LIMIT_BYTES it asks a
 *   background checkpointer — a second connection to the file on a worker
 *   thread — for a PASSIVE checkpoint. PASSIVE never takes the write lock,
 *   so commits go on meanwhile. Under a steady stream of commits it can
 *   never copy everything (frames keep arriving), so after its pass the
 *   next commit copies the few frames committed meanwhile itself (a short
 *   PASSIVE checkpoint: a few hundred pages and the syncs, not the whole
 *   WAL); then the next commit starts the WAL over instead of growing it.
 * - `checkpointNow` is the idle step (the app's idle maintenance): PASSIVE,
 *   then, if that copied everything, TRUNCATE without waiting (busy_timeout
 *   0 for that call) so an idle file's WAL shrinks to nothing.
 *
 * Checkpoints are safe with any number of connections and processes on the
 * file: SQLite serialises them with its own checkpoint lock.
 */
import type Database from "better-sqlite3";
import { existsSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

/** WAL size past which the background checkpointer is asked to run (16 MiB). */
export const SOFT_LIMIT_BYTES = 16 * 1024 * 1024;
/** A stat per commit would cost as much as a small edit; every 64th is enough to notice 16 MiB. */
const CHECK_EVERY = 64;

export interface WalCheckpointResult {
  /** Frames in the WAL before the checkpoint (-1: not in WAL mode). */
  readonly log: number;
  /** Frames copied into the database. */
  readonly checkpointed: number;
  /** True when another connection kept it from copying everything. */
  readonly busy: boolean;
  /** The WAL file's size afterwards, bytes. */
  readonly walBytes: number;
}

export interface WalCheckpointer {
  readonly afterCommit: () => void;
  readonly checkpointNow: () => WalCheckpointResult;
  readonly close: () => void;
}

export function makeWalCheckpointer(db: Database.Database): WalCheckpointer {
  const walPath = `${db.name}-wal`;
  let commits = 0;
  let cycleBytes = 0;
  let worker: BackgroundCheckpointer | undefined;
  return {
    afterCommit: () => {
      // Copying only what was committed during the background pass lets the next commit start the WAL over.
      if (worker?.copied() === true) {
        checkpoint(db, "PASSIVE");
        cycleBytes = walBytes(walPath);
      }
      if (db.memory || ++commits % CHECK_EVERY !== 0) return;
      // The file does not shrink when the WAL starts over (only back to journal_size_limit), so its size says
      // how full the WAL is only once it grows past its size at the last cycle; a pass requested earlier would
      // hold the checkpoint lock and keep the WAL from starting over.
      const bytes = walBytes(walPath);
      if (bytes < SOFT_LIMIT_BYTES || bytes <= cycleBytes) return;
      worker ??= startBackground(db.name);
      worker.request();
    },
    checkpointNow: () => {
      const passive = checkpoint(db, "PASSIVE");
      const done = !passive.busy && passive.log === passive.checkpointed;
      const result = done && passive.log > 0 ? truncateNow(db) : passive;
      return { ...result, log: passive.log, walBytes: walBytes(walPath) };
    },
    close: () => {
      worker?.close();
      worker = undefined;
    },
  };
}

function checkpoint(db: Database.Database, mode: "PASSIVE" | "TRUNCATE"): Omit<WalCheckpointResult, "walBytes"> {
  const [row] = db.pragma(`wal_checkpoint(${mode})`) as Array<{ busy: number; log: number; checkpointed: number }>;
  return { log: row?.log ?? -1, checkpointed: row?.checkpointed ?? -1, busy: row?.busy === 1 };
}

/** TRUNCATE waits for readers and writers through the busy handler: an idle step must not wait, so it gets none. */
function truncateNow(db: Database.Database): Omit<WalCheckpointResult, "walBytes"> {
  const timeout = db.pragma("busy_timeout", { simple: true }) as number;
  db.pragma("busy_timeout = 0");
  try {
    return checkpoint(db, "TRUNCATE");
  } finally {
    db.pragma(`busy_timeout = ${timeout}`);
  }
}

function walBytes(path: string): number {
  return existsSync(path) ? statSync(path).size : 0;
}

interface BackgroundCheckpointer {
  readonly request: () => void;
  /** True once after the background pass: then the few frames committed during it are left to copy. */
  readonly copied: () => boolean;
  readonly close: () => void;
}

// The worker is driven through a shared word, not messages: an edit loop
// that never yields to the event loop (a script, a bench, a big import)
// would never read a message, and the WAL would grow to the cap.
const IDLE = 0;
const REQUESTED = 1;
const CLOSING = 2;
const COPIED = 3;

// CommonJS source for an eval'd worker: the bundled CLI has no separate file to point a Worker at.
// Its PASSIVE pass copies the bulk while commits go on; the frames committed
// meanwhile are copied by the replica's next commit (afterCommit, once it
// sees COPIED), so the commit after that starts the WAL over.
const WORKER_SOURCE = `
const { workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const state = new Int32Array(workerData.state);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma("busy_timeout = 5000");
for (;;) {
  Atomics.wait(state, 0, ${IDLE});
  if (Atomics.load(state, 0) === ${CLOSING}) break;
  try {
    db.pragma("wal_checkpoint(PASSIVE)");
  } catch {}
  Atomics.compareExchange(state, 0, ${REQUESTED}, ${COPIED});
}
db.close();
`;

/** A second connection on a worker thread; a request while one runs is merged into it. */
function startBackground(path: string): BackgroundCheckpointer {
  const driver = createRequire(import.meta.url).resolve("better-sqlite3");
  const state = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, path, state: state.buffer } });
  worker.unref(); // never keeps a process alive
  // A failed background checkpointer costs only WAL size: the cap (open-db.ts) still bounds it.
  worker.on("error", () => undefined);
  return {
    request: () => {
      if (Atomics.compareExchange(state, 0, IDLE, REQUESTED) === IDLE) Atomics.notify(state, 0);
    },
    copied: () => Atomics.compareExchange(state, 0, COPIED, IDLE) === COPIED,
    close: () => {
      Atomics.store(state, 0, CLOSING);
      Atomics.notify(state, 0);
    },
  };
}
