/**
 * WAL checkpoints off the edit path (docs/decisions/0015).
 *
 * SQLite's automatic checkpoint runs inside the commit that crosses
 * `wal_autocheckpoint` pages and copies the whole WAL into the database:
 * one edit in a few hundred stalled for tens to hundreds of milliseconds.
 * Here the replica's connection checkpoints automatically only at a hard
 * cap (open-db.ts: WAL_CAP_PAGES, so a process whose background checkpoint
 * cannot keep up still bounds its WAL), and instead:
 *
 * - `afterCommit` (called after each outermost commit) looks at the WAL
 *   file's size every CHECK_EVERY commits; past SOFT_LIMIT_BYTES it asks a
 *   background checkpointer — a second connection to the file on a worker
 *   thread, started at START_BYTES — for PASSIVE checkpoints. PASSIVE never takes the write lock,
 *   so commits go on meanwhile; the worker repeats it while the frames
 *   committed during its last pass are more than TAIL_FRAMES. Under a
 *   steady stream of commits it can never copy everything, so the commit
 *   after its passes copies that short tail itself (a PASSIVE on the
 *   writer's own connection, which nothing can outrun), and the commit after
 *   that starts the WAL over; SQLite then cuts the file back to
 *   KEEP_BYTES (journal_size_limit), below SOFT_LIMIT_BYTES, so the file's
 *   size again says how full the WAL is.
 * - `checkpointNow` is the idle step (the app's idle maintenance): PASSIVE,
 *   then, if that copied everything, TRUNCATE without waiting (busy_timeout
 *   0 for that call) so an idle file's WAL shrinks to nothing.
 * - `close` waits until the worker's connection is closed, so that the
 *   replica's own close is the file's last one in this process, and SQLite
 *   checkpoints the WAL and deletes it and the -shm before close returns.
 *
 * Checkpoints are safe with any number of connections and processes on the
 * file: SQLite serialises them with its own checkpoint lock.
 */
import type Database from "better-sqlite3";
import { existsSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

/**
 * WAL file size past which the background checkpointer is asked to run (32 MiB). Each checkpoint cycle ends with
 * the writer copying the short tail (a few ms with its syncs), so the limit sets how often an edit pays that:
 * at 8 MiB, under a loop of single edits, often enough to be the slowest 1 % (docs/decisions/0033).
 */
export const SOFT_LIMIT_BYTES = 32 * 1024 * 1024;
/**
 * The size SQLite cuts the WAL file back to when the WAL starts over (journal_size_limit, open-db.ts): below
 * SOFT_LIMIT_BYTES, so that a file past the soft limit holds that many bytes of frames since the restart.
 */
export const KEEP_BYTES = 16 * 1024 * 1024;
/** WAL file size at which the worker is started (once per replica), ahead of its first request. */
const START_BYTES = SOFT_LIMIT_BYTES / 4;
/** A stat per commit would cost as much as a small edit; every 64th is enough to notice the soft limit. */
const CHECK_EVERY = 64;
/** Frames (of 4 KiB) few enough for the writer to copy itself: 1–4 ms with the two syncs, measured. */
const TAIL_FRAMES = 256;
/** Passes per request at most: under a writer faster than the copy, the tail stops shrinking after a few. */
const MAX_PASSES = 6;
/** How long close waits for the worker to finish a pass and close its connection. */
const CLOSE_WAIT_MS = 5_000;

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
  let worker: BackgroundCheckpointer | undefined;
  return {
    afterCommit: () => {
      // Copying what was committed during the background passes lets the next commit start the WAL over.
      if (worker?.copied() === true) checkpoint(db, "PASSIVE");
      if (db.memory || ++commits % CHECK_EVERY !== 0) return;
      const bytes = walBytes(walPath);
      // Started well below the soft limit: a worker takes tens of milliseconds to boot and open its connection,
      // and a loop of commits adds several megabytes meanwhile.
      if (bytes < START_BYTES) return;
      worker ??= startBackground(db.name);
      // A request while passes run, or before their tail is copied, is merged into them.
      if (bytes >= SOFT_LIMIT_BYTES) worker.request();
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
  /** True once after the background passes: then the frames committed during the last are left to copy. */
  readonly copied: () => boolean;
  /** Returns once the worker's connection is closed (or after CLOSE_WAIT_MS, if the worker never ran). */
  readonly close: () => void;
}

// The worker is driven through a shared word, not messages: an edit loop
// that never yields to the event loop (a script, a bench, a big import)
// would never read a message, and the WAL would grow to the cap.
// IDLE → REQUESTED (replica) → COPIED (worker) → IDLE (replica, which copies the tail);
// any → CLOSING (replica) → CLOSED (worker, once its connection is closed).
const IDLE = 0;
const REQUESTED = 1;
const COPIED = 2;
const CLOSING = 3;
const CLOSED = 4;

// CommonJS source for an eval'd worker: the bundled CLI has no separate file to point a Worker at.
// It sleeps in IDLE and COPIED (COPIED waits for the replica to copy the tail). Each pass copies the
// frames up to the end of the WAL as the pass began; `log` is that end, so the growth of `log` from one
// pass to the next is what was committed during the pass. A smaller `log` means the WAL started over.
const WORKER_SOURCE = `
const { workerData } = require("node:worker_threads");
const state = new Int32Array(workerData.state);
let db;
try {
  if (Atomics.load(state, 0) !== ${CLOSING}) {
    const Database = require(workerData.driver);
    db = new Database(workerData.path, { fileMustExist: true });
  }
  for (;;) {
    let now = Atomics.load(state, 0);
    while (now === ${IDLE} || now === ${COPIED}) {
      Atomics.wait(state, 0, now);
      now = Atomics.load(state, 0);
    }
    if (now !== ${REQUESTED}) break;
    try {
      let end = 0;
      for (let pass = 0; pass < ${MAX_PASSES}; pass++) {
        const [row] = db.pragma("wal_checkpoint(PASSIVE)");
        const grown = row.log - end;
        end = row.log;
        if (row.busy !== 0 || grown <= ${TAIL_FRAMES}) break;
      }
    } catch {}
    Atomics.compareExchange(state, 0, ${REQUESTED}, ${COPIED});
  }
} finally {
  try {
    db?.close();
  } finally {
    Atomics.store(state, 0, ${CLOSED});
    Atomics.notify(state, 0);
  }
}
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
      if (Atomics.exchange(state, 0, CLOSING) === CLOSED) return;
      Atomics.notify(state, 0);
      // Node lets the main thread block here; the worker is at most one pass (a bounded WAL) from closing.
      Atomics.wait(state, 0, CLOSING, CLOSE_WAIT_MS);
    },
  };
}
