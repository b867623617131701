/**
 * The op log of one replica: every write path, each in ONE SQLite
 * transaction (DESIGN.md §5), and the SyncableReplica surface.
 *
 * Invariants:
 * - `ops` rows are only ever inserted (triggers refuse the rest);
 * - an op, its materialised effect, quarantine rows, acks and the sync
 *   cursor of the same call commit together or not at all;
 * - every local op passes the same decoder remote ops pass, so a replica
 *   never writes what its peers would quarantine;
 * - `onLocalOps` listeners run after the commit of the outermost transaction;
 * - ops handed to the sync engine (`outbox`) are durable first (durability.ts).
 */
import type Database from "better-sqlite3";
import type { Clock } from "../hlc.js";
import type { Op } from "../op/op.js";
import type { IngestResult, SyncCursor, SyncableReplica } from "../sync/syncable-replica.js";
import { makeDurable } from "./durability.js";
import { OpLogError } from "./errors.js";
import { ingestBatch, storeAndApply } from "./ingest.js";
import { classifyOp, encodeOp } from "./op-codec.js";
import { clearAcks, insertAcks, outbox, outboxSize } from "./outbox.js";
import { checkCursor, clearCursor, readCursor, writeCursor } from "./sync-cursor.js";

export interface OpLogOptions {
  readonly project: string;
  readonly replica: string;
  readonly clock: Clock;
  /** Materialises ops just inserted; runs inside the write transaction. */
  readonly apply: (db: Database.Database, ops: ReadonlyArray<Op>) => ReadonlyArray<{ readonly op: string; readonly reason: string }> | void;
  /** Wall clock for bookkeeping timestamps (received_at, acked_at). */
  readonly now: () => number;
}

export interface OpLog extends Omit<SyncableReplica, "project" | "replica"> {
  readonly db: Database.Database;
  /** Runs `fn` in one immediate transaction (nested calls join the outer one). */
  readonly transact: <T>(fn: () => T) => T;
  /** Appends local ops (already stamped by `clock`) and their effects. */
  readonly append: (ops: ReadonlyArray<Op>) => void;
  /** Ingests untrusted ops from a peer or file (no cursor, no acks). */
  readonly ingest: (raws: ReadonlyArray<unknown>, from?: string) => IngestResult;
}

export function makeOpLog(db: Database.Database, options: OpLogOptions): OpLog {
  // The outbox triggers (schema.ts, version 2) find own ops by meta.replica.
  db.prepare("INSERT OR IGNORE INTO meta (key, value) VALUES ('replica', ?)").run(options.replica);
  const listeners = new Set<() => void>();
  let localPending = false;
  const nowIso = (): string => new Date(options.now()).toISOString();
  const ctx = { ...options, nowIso };

  const transact = <T>(fn: () => T): T => {
    if (db.inTransaction) return db.transaction(fn)(); // a savepoint inside the outer one
    let result: T;
    try {
      result = db.transaction(fn).immediate();
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

  const append = (ops: ReadonlyArray<Op>): void =>
    transact(() => {
      const rows = ops.map((op) => ({ op: checkLocalOp(op), encoded: encodeOp(op) }));
      storeAndApply(db, rows, options);
      localPending ||= rows.length > 0;
    });

  const ingestPage = (raws: ReadonlyArray<unknown>, cursor: SyncCursor): IngestResult =>
    transact(() => {
      checkCursor(db, options.project, cursor);
      const out = ingestBatch(db, raws, cursor.identity.deployment, ctx);
      insertAcks(db, out.ownIds, nowIso());
      writeCursor(db, cursor);
      return summary(out);
    });

  return {
    db,
    transact,
    append,
    ingest: (raws, from = "ingest") => transact(() => summary(ingestBatch(db, raws, from, ctx))),
    ingestPage,
    outbox: (limit) => {
      const ops = outbox(db, options.replica, limit);
      // After the read: everything handed out is on disk. Nothing handed out,
      // nothing to make durable (a push cycle re-reads an empty outbox).
      if (ops.length > 0) makeDurable(db);
      return ops;
    },
    outboxSize: () => outboxSize(db, options.replica),
    markAcked: (ids) => transact(() => insertAcks(db, ids, nowIso())),
    syncCursor: () => readCursor(db),
    resetSync: () =>
      transact(() => {
        clearCursor(db);
        clearAcks(db);
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
      console.error("qc: an onLocalOps listener failed:", error);
    }
  }
}

function summary(r: IngestResult): IngestResult {
  return { applied: r.applied, duplicates: r.duplicates, quarantined: r.quarantined };
}

function checkLocalOp(op: Op): Op {
  const c = classifyOp(op);
  if (c._tag === "valid") return op;
  const why = c._tag === "invalid" ? c.error.message : c.reason;
  throw new OpLogError({ reason: "invalid-local-op", message: `refused to write local op ${op.id} (${op.kind} ${op.target.type}): ${why}` });
}
