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
 *   so commits go on meanwhile; once it has copied everything the next
 *   commit starts the WAL over from its beginning instead of growing it.
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
  let worker: BackgroundCheckpointer | undefined;
  return {
    afterCommit: () => {
      if (db.memory || ++commits % CHECK_EVERY !== 0) return;
      if (walBytes(walPath) < SOFT_LIMIT_BYTES) return;
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
  readonly close: () => void;
}

// CommonJS source for an eval'd worker: the bundled CLI has no separate file to point a Worker at.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
parentPort.on("message", (message) => {
  if (message === "close") { db.close(); parentPort.close(); return; }
  try { db.pragma("wal_checkpoint(PASSIVE)"); } catch {}
  parentPort.postMessage("done");
});
`;

/** A second connection on a worker thread; at most one request in flight, later ones while it runs are merged into it. */
function startBackground(path: string): BackgroundCheckpointer {
  const driver = createRequire(import.meta.url).resolve("better-sqlite3");
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, path } });
  worker.unref(); // never keeps a process alive
  let running = false;
  worker.on("message", () => {
    running = false;
  });
  // A failed background checkpoint costs only WAL size; the hard cap still bounds it.
  worker.on("error", () => {
    running = true;
  });
  return {
    request: () => {
      if (running) return;
      running = true;
      worker.postMessage("checkpoint");
    },
    close: () => worker.postMessage("close"),
  };
}
