/**
 * `createReplica` / `openReplica`: one researcher's local copy of a project — the op log, its
 * materialised state, the researcher commands (`commands`), the readers
 * (`read`: views, history, audit) and the surface the sync engine drives
 * (`sync`: SyncableReplica).
 *
 * Only `createReplica` makes a replica, and only in a missing or empty
 * file; `openReplica` only opens an existing qc file. Both look at the file
 * before writing to it and refuse, untouched, anything else (op-log/open-db.ts).
 *
 * Invariants:
 * - a file belongs to one project and one replica id forever (meta table);
 * - local HLCs strictly exceed every HLC in the log (the clock is seeded
 *   with the log's maximum on open and receives every ingested HLC);
 * - every write (command, ingest, ack, cursor) is one transaction.
 */
import type Database from "better-sqlite3";
import { isReplicaId, makeClock, newReplicaId, type Clock } from "./hlc.js";
import { applyOps, installMaterialiser, rebuild } from "./materialiser/index.js";
import { updateCheckpoints } from "./op-log/checkpoints.js";
import { newEntityId } from "./commands/entity-id.js";
import { stampOp, type CommandContext, type OpDraft } from "./commands/context.js";
import { makeCommands, type Commands } from "./commands/index.js";
import { makeHistory } from "./history/index.js";
import { makeDurable } from "./op-log/durability.js";
import { OpLogError } from "./op-log/errors.js";
import { makeLocalSettings, type LocalSettings } from "./op-log/local-settings.js";
import { readReplicaMeta, writeReplicaMeta, type ReplicaMeta } from "./op-log/meta.js";
import { makeOpLog, type OpLog } from "./op-log/op-log.js";
import { openDb } from "./op-log/open-db.js";
import { makeWalCheckpointer, type WalCheckpointer, type WalCheckpointResult } from "./op-log/wal-checkpoint.js";
import { maxHlc, opsAfter } from "./op-log/ops-store.js";
import { actorProblem, normaliseActor } from "./op/actor.js";
import type { Op } from "./op/op.js";
import { validateName } from "./op/domain.js";
import { makeReplicaRead, type ReplicaRead } from "./read/index.js";
import { registerHandle } from "./replica-handle.js";
import type { IngestResult, SyncableReplica } from "./sync/syncable-replica.js";

export interface OpenReplicaOptions {
  /** The researcher (member) making edits on this replica. */
  readonly actor: string;
  /** The project the file must hold (refused otherwise); on create, join this project instead of making one. */
  readonly project?: string;
  /** The replica id the file must have; on create, the new file's (16 lowercase hex, random by default). */
  readonly replica?: string;
  /** Wall clock (epoch ms); injectable for tests and demos. */
  readonly clock?: () => number;
  readonly synchronous?: "full" | "normal";
}

export interface CreateReplicaOptions extends OpenReplicaOptions {
  /** Name of a newly created project (not used when joining one). */
  readonly projectName?: string;
}

/** What the sync engine drives (SyncableReplica), plus ops exchanged with a peer or a file. */
export interface ReplicaSync extends SyncableReplica {
  /** Ingests ops from a peer or a file; `from` labels quarantine entries (default "ingest"). */
  readonly ingest: (ops: ReadonlyArray<unknown>, from?: string) => IngestResult;
  /** Ops after `hlc` (all without it), HLC order, made durable before they are handed out. */
  readonly opsAfter: (hlc?: string) => ReadonlyArray<Op>;
}

/**
 * One replica, grouped by who uses what: `commands` (the researcher verbs),
 * `read` (views, history, audit), `sync` (the engine's side). No raw
 * database handle: adapters never need SQL.
 */
export interface Replica {
  readonly project: string;
  readonly replica: string;
  readonly actor: string;
  readonly commands: Commands;
  readonly read: ReplicaRead;
  readonly sync: ReplicaSync;
  /** This file's own settings: never synced, never in an op. */
  readonly local: LocalSettings;
  /** Recreates the materialised tables from the log (one transaction). */
  readonly rebuild: () => void;
  /**
   * Takes the checkpoints that are due (op-log/checkpoints.ts: one per
   * `every` ops stored, CHECKPOINT_EVERY by default) and returns how many; run when idle, it
   * replays the ops since the last one. Never deletes an op.
   */
  readonly updateCheckpoints: (every?: number) => number;
  /**
   * Checkpoints the WAL now and, if nothing holds it, truncates it
   * (op-log/wal-checkpoint.ts); for an idle moment, never waits for
   * another connection.
   */
  readonly checkpointWal: () => WalCheckpointResult;
  readonly close: () => void;
}

/** Opens an existing qc file (migrating an older one); refuses a missing, empty or foreign file untouched. */
export function openReplica(path: string, given: OpenReplicaOptions): Replica {
  return start(path, "replica", { ...given, actor: checkActor(given.actor) });
}

/** Makes a new replica in a missing or empty file; refuses a file that already holds anything, untouched. */
export function createReplica(path: string, given: CreateReplicaOptions): Replica {
  const options = { ...given, actor: checkActor(given.actor) };
  checkProjectName(options);
  return start(path, "new", options);
}

function start(path: string, expect: "replica" | "new", options: CreateReplicaOptions): Replica {
  const db = openDb(path, { expect, ...(options.synchronous === undefined ? {} : { synchronous: options.synchronous }) });
  try {
    installMaterialiser(db);
    return assemble(db, options);
  } catch (error) {
    db.close();
    throw error;
  }
}

function assemble(db: Database.Database, options: CreateReplicaOptions): Replica {
  const now = options.clock ?? Date.now;
  const stored = readReplicaMeta(db);
  const meta = stored ?? freshMeta(options, now);
  checkStored(stored, options);
  const clock = makeClock({ replica: meta.replica, now, ...seenOption(db) });
  const log = makeOpLog(db, { ...meta, clock, apply: applyOps, now });
  const wal = makeWalCheckpointer(db);
  const state: TransactionState = { clockRaised: false, appendFailed: undefined };
  // Work for the end of the outermost transaction only: the next one raises the clock
  // again, and the WAL grows per commit, not per savepoint.
  const outermost = <T>(fn: () => T): T => {
    if (db.inTransaction) return fn();
    try {
      const result = fn();
      wal.afterCommit();
      return result;
    } finally {
      state.clockRaised = false;
      state.appendFailed = undefined;
    }
  };
  const transact = <T>(fn: () => T): T => outermost(() => log.transact(fn));
  const ctx = commandContext(log, meta, options.actor, clock, now, state);
  if (stored === undefined) initialise(transact, ctx, meta, options);
  const runCommands = commandTransact(transact, state);
  const replica = facade({ log, wal, outermost, transact, runCommands }, ctx, meta, clock, options.actor);
  registerHandle(replica, db);
  return replica;
}

interface Writes {
  readonly log: OpLog;
  readonly wal: WalCheckpointer;
  /** Wraps a write that opens its own transaction (ingest). */
  readonly outermost: <T>(fn: () => T) => T;
  /** Runs `fn` in a transaction (a savepoint inside another). */
  readonly transact: <T>(fn: () => T) => T;
  /** `transact` for commands (commandTransact). */
  readonly runCommands: <T>(fn: () => T) => T;
}

function facade(writes: Writes, ctx: CommandContext, meta: ReplicaMeta, clock: Clock, actor: string): Replica {
  const { log, wal, outermost, transact, runCommands } = writes;
  const { db } = log;
  return {
    ...meta,
    actor,
    commands: makeCommands(ctx, runCommands),
    read: makeReplicaRead(db, makeHistory(db), () => clock.last()),
    sync: {
      ...meta,
      ingest: (ops, from) => outermost(() => log.ingest(ops, from)),
      opsAfter: (hlc) => {
        const ops = opsAfter(db, hlc);
        makeDurable(db); // ops handed to peers must survive a power loss here
        return ops;
      },
      outbox: log.outbox,
      outboxSize: log.outboxSize,
      markAcked: log.markAcked,
      syncCursor: log.syncCursor,
      ingestPage: (raws, cursor, receipts) => outermost(() => log.ingestPage(raws, cursor, receipts)),
      resetSync: log.resetSync,
      onLocalOps: log.onLocalOps,
    },
    local: makeLocalSettings(db, Date.now),
    rebuild: () => transact(() => rebuild(db)),
    // Not in one transaction: each checkpoint is written in its own, so writers wait only for the insert.
    updateCheckpoints: (every) => updateCheckpoints(db, every),
    checkpointWal: wal.checkpointNow,
    close: () => {
      wal.close();
      db.close();
    },
  };
}

/** What the commands keep per outermost transaction (cleared after each by `outermost`). */
interface TransactionState {
  /**
   * Whether the clock was raised in this transaction. Once per transaction
   * is enough: while it holds the write lock no other process adds an HLC.
   */
  clockRaised: boolean;
  /** The error of an append that failed in this transaction (it may have written part of its ops). */
  appendFailed: Error | undefined;
}

/**
 * Runs commands (`transact`), refusing to commit after a failed append: an
 * append inside a transaction has no savepoint (op-log.ts), so a batch
 * whose `fn` caught the error of one would otherwise commit half of it.
 * Refusals (`CommandError`) come before the append and do not count.
 */
function commandTransact(transact: <T>(fn: () => T) => T, state: TransactionState): <T>(fn: () => T) => T {
  return (fn) =>
    transact(() => {
      const result = fn();
      if (state.appendFailed !== undefined) throw state.appendFailed;
      return result;
    });
}

function commandContext(
  log: OpLog,
  meta: ReplicaMeta,
  actor: string,
  clock: Clock,
  now: () => number,
  state: TransactionState,
): CommandContext {
  const stamp = { ...meta, actor, clock };
  return {
    db: log.db,
    ...meta,
    actor,
    emit: (drafts: ReadonlyArray<OpDraft>) => {
      // Another process on this file may have stored higher HLCs since this one last looked.
      if (!state.clockRaised) {
        log.raiseClock();
        state.clockRaised = true;
      }
      const ops = drafts.map((d) => stampOp(stamp, d));
      try {
        log.append(ops);
      } catch (error) {
        state.appendFailed = error instanceof Error ? error : new Error(String(error));
        throw error;
      }
      return ops;
    },
    newId: () => newEntityId(now()),
  };
}

/** A new file: store the identity and, for a new project, its `create` op. */
function initialise(transact: <T>(fn: () => T) => T, ctx: CommandContext, meta: ReplicaMeta, options: CreateReplicaOptions): void {
  const name = projectName(options);
  transact(() => {
    writeReplicaMeta(ctx.db, meta);
    if (options.project === undefined) {
      ctx.emit([{ kind: "create", target: { type: "project", id: meta.project }, body: { fields: { name } } }]);
    }
  });
}

function projectName(options: CreateReplicaOptions): string {
  return (options.projectName ?? "Untitled project").trim();
}

/** Before the file is touched: a bad name must not leave a half-made file. */
function checkProjectName(options: CreateReplicaOptions): void {
  const why = validateName(projectName(options));
  if (why !== undefined)
    throw new OpLogError({ reason: "invalid-option", message: `cannot create the project: its name is invalid (${why})` });
}

function freshMeta(options: OpenReplicaOptions, now: () => number): ReplicaMeta {
  if (options.replica !== undefined && !isReplicaId(options.replica)) {
    throw new OpLogError({
      reason: "invalid-option",
      message: `replica must be 16 lowercase hex characters, got ${JSON.stringify(options.replica)}`,
    });
  }
  if (options.project !== undefined && options.project.trim() === "") {
    throw new OpLogError({ reason: "invalid-option", message: "project must be a project id; leave it out to create a new project" });
  }
  return { project: options.project ?? newEntityId(now()), replica: options.replica ?? newReplicaId() };
}

function checkStored(stored: ReplicaMeta | undefined, options: OpenReplicaOptions): void {
  if (stored === undefined) return;
  if (options.project !== undefined && options.project !== stored.project) {
    throw new OpLogError({
      reason: "project-mismatch",
      message: `this replica file holds project ${stored.project}, not ${options.project}; open another file to join that project`,
    });
  }
  if (options.replica !== undefined && options.replica !== stored.replica) {
    throw new OpLogError({
      reason: "project-mismatch",
      message: `this replica file is replica ${stored.replica}, not ${options.replica}; a file's replica id never changes`,
    });
  }
}

function seenOption(db: Database.Database): { seen?: string } {
  const seen = maxHlc(db);
  return seen === undefined ? {} : { seen };
}

/** The actor as ops will carry it: NFC and trimmed, and acceptable to every peer's decoder (op/actor.ts). */
function checkActor(actor: unknown): string {
  if (typeof actor !== "string" || actor.trim() === "") {
    throw new OpLogError({ reason: "invalid-option", message: "openReplica needs an actor: the researcher (member) who makes the edits" });
  }
  const normalised = normaliseActor(actor);
  const problem = actorProblem(normalised);
  if (problem !== undefined) {
    throw new OpLogError({
      reason: "invalid-option",
      message: `openReplica's actor ${JSON.stringify(normalised)} cannot name a member: ${problem}`,
    });
  }
  return normalised;
}
