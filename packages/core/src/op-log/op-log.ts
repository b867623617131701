/**
 * The op log of one replica: every write path, each in ONE SQLite
 * transaction (docs/design.md §5), and the SyncableReplica surface.
 *
 * Invariants:
 * - `ops` rows are only ever inserted (triggers refuse the rest);
 * - an op, its materialised effect, quarantine rows, acks, receipts and the
 *   sync cursor of the same call commit together or not at all;
 * - every local op passes the same decoder remote ops pass, so a replica
 *   never writes what its peers would quarantine;
 * - `onLocalOps` listeners run after the commit of the outermost transaction;
 * - ops handed to the sync engine (`outbox`) are durable first (durability.ts).
 */
import type Database from "better-sqlite3";
import type { Clock } from "../hlc.js";
import type { Op } from "../op/op.js";
import type { IngestResult, SyncableReplica } from "../sync/syncable-replica.js";
import { makeDurable } from "./durability.js";
import { appendLocal, type ApplyOps } from "./append.js";
import { ingestBatch } from "./ingest.js";
import { readMetaValue, writeMetaValue } from "./meta.js";
import { maxHlc } from "./ops-store.js";
import { insertReceipts } from "./op-receipts.js";
import { makeOutbox } from "./outbox.js";
import { checkCursor, clearCursor, readCursor, writeCursor } from "./sync-cursor.js";

export interface OpLogOptions {
  readonly project: string;
  readonly replica: string;
  readonly clock: Clock;
  /** Materialises ops just inserted; runs inside the write transaction. */
  readonly apply: ApplyOps;
  /** Wall clock for bookkeeping timestamps (received_at, acked_at). */
  readonly now: () => number;
}

export interface OpLog extends Omit<SyncableReplica, "project" | "replica"> {
  readonly db: Database.Database;
  /** Runs `fn` in one immediate transaction (nested calls join the outer one). */
  readonly transact: <T>(fn: () => T) => T;
  /**
   * Raises the clock to the highest HLC in the log, which another process on
   * this file may have written. Call inside the write transaction, before
   * stamping: only then does the next tick exceed every stored HLC.
   */
  readonly raiseClock: () => void;
  /**
   * Appends local ops (already stamped by `clock`) and their effects, in a transaction of its own or, with
   * no savepoint, in the caller's: a caller that catches its error must roll back.
   */
  readonly append: (ops: ReadonlyArray<Op>) => void;
  /** Ingests untrusted ops from a peer or file (no cursor, no acks). */
  readonly ingest: (raws: ReadonlyArray<unknown>, from?: string) => IngestResult;
}

export function makeOpLog(db: Database.Database, options: OpLogOptions): OpLog {
  // Stored once: a reopen reads it and takes no write lock (it never changes: meta.ts).
  if (readMetaValue(db, "replica") === undefined) writeMetaValue(db, "replica", options.replica);
  const box = makeOutbox(db, options.replica);
  const listeners = new Set<() => void>();
  let localPending = false;
  const nowIso = (): string => new Date(options.now()).toISOString();
  // Both write paths hand `apply` exactly the ops they just inserted: the outbox sees every stored op there.
  const apply: ApplyOps = (on, ops) => {
    box.stored(ops);
    return options.apply(on, ops);
  };
  const ctx = { ...options, apply, nowIso };

  // Made once: db.transaction(fn) builds four wrappers per call (as costly as a small edit's BEGIN and COMMIT).
  const wrapped = db.transaction((fn: () => unknown) => fn());
  const transact = <T>(fn: () => T): T => {
    if (db.inTransaction) return wrapped(fn) as T; // a savepoint inside the outer one
    let result: T;
    try {
      result = wrapped.immediate(fn) as T;
    } catch (error) {
      localPending = false;
      throw error;
    }
    if (localPending) {
      localPending = false;
      notify(listeners);
    }
    return result;
  };

  const raiseClock = (): void => {
    if (!db.inTransaction) throw new Error("qc defect: local ops must be stamped inside the op log's write transaction (transact)");
    const top = maxHlc(db);
    if (top !== undefined) options.clock.observe(top);
  };

  const appendNow = (ops: ReadonlyArray<Op>): void => {
    appendLocal(db, ops, ctx);
    localPending ||= ops.length > 0;
  };
  // Inside a caller's transaction, no savepoint of its own (it copies every page the append touches into
  // the statement journal): appendLocal checks every op before its first write, so only a defect or an I/O
  // error can stop it halfway, and then the caller rolls back (the replica's commands do: docs/decisions/0019).
  const append = (ops: ReadonlyArray<Op>): void => (db.inTransaction ? appendNow(ops) : transact(() => appendNow(ops)));

  const ingestPage: SyncableReplica["ingestPage"] = (raws, cursor, receipts = []) =>
    transact(() => {
      checkCursor(db, options.project, cursor);
      const out = ingestBatch(db, raws, cursor.identity.deployment, ctx);
      box.ack(out.ownIds, nowIso());
      insertReceipts(db, receipts);
      writeCursor(db, cursor);
      return summary(out);
    });

  return {
    db,
    transact,
    raiseClock,
    append,
    ingest: (raws, from = "ingest") => transact(() => summary(ingestBatch(db, raws, from, ctx))),
    ingestPage,
    outbox: (limit) => {
      const ops = box.read(limit);
      // After the read: everything handed out is on disk. Nothing handed out,
      // nothing to make durable (a push cycle re-reads an empty outbox).
      if (ops.length > 0) makeDurable(db);
      return ops;
    },
    outboxSize: box.size,
    markAcked: (ids) => transact(() => box.ack(ids, nowIso())),
    syncCursor: () => readCursor(db),
    resetSync: () =>
      transact(() => {
        clearCursor(db);
        box.reset();
      }),
    onLocalOps: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** A listener's failure must not turn a committed edit into an error. */
function notify(listeners: ReadonlySet<() => void>): void {
  for (const l of [...listeners]) {
    try {
      l();
    } catch (error) {
      // eslint-disable-next-line no-console -- nowhere else to report it: the edit is committed and the caller gets no error
      console.error("qc: an onLocalOps listener failed:", error);
    }
  }
}

function summary(r: IngestResult): IngestResult {
  return { applied: r.applied, duplicates: r.duplicates, quarantined: r.quarantined };
}
