/**
 * Checkpoints of materialised state (docs/design.md §5, docs/spec/op-log.md,
 * docs/decisions/0012): "state at T" and `verify` replay only the ops stored
 * after a checkpoint instead of the whole log. No op is ever deleted.
 *
 * A checkpoint holds the materialised tables of exactly the ops with
 * `seq <= checkpoint.seq`: keyed by arrival position, not by HLC, because ops
 * arrive out of HLC order (a late remote op carries an older HLC). Its
 * `frontier` is the highest HLC among those ops, so it serves "state at T"
 * for every T >= frontier: the state is the snapshot plus the ops with
 * `seq > checkpoint.seq AND hlc <= T`, late ones included, applied by the
 * same `applyOps` the live replica uses (which takes ops in any order).
 *
 * A checkpoint is built from the previous one plus the ops stored since, so
 * the chain is derived from the log alone, never from the live tables that
 * `verify` checks. Its content is stored with its SHA-256 and checked before
 * each use; one whose hash or materialiser version does not match is skipped.
 */
import { createHash } from "node:crypto";
import { constants, gunzipSync, gzipSync } from "node:zlib";
import Database from "better-sqlite3";
import { applyOps, canonicalState, installMaterialiser, MATERIALISER_VERSION } from "../materialiser/index.js";
import { lendOps, maxHlcUpToSeq, opsBySeq } from "./ops-store.js";

/**
 * `updateCheckpoints` takes one checkpoint per this many ops stored. At the
 * bench's apply rate a tail of 50,000 ops replays in well under a second.
 */
export const CHECKPOINT_EVERY = 50_000;

/** Ops read from the log per `applyOps` call while replaying a tail. */
const TAIL_PAGE = 4000;

export interface CheckpointInfo {
  /** The state is that of the ops with seq <= this. */
  readonly seq: number;
  /** The highest HLC among those ops: the checkpoint serves "state at T" for T >= frontier. */
  readonly frontier: string;
  readonly bytes: number;
}

interface CheckpointRow {
  readonly seq: number;
  readonly frontier: string;
  readonly snapshot: Buffer;
  readonly hash: string;
}

/** Checkpoints usable by this qc (same materialiser version), oldest first. */
export function listCheckpoints(db: Database.Database): ReadonlyArray<CheckpointInfo> {
  return db
    .prepare("SELECT seq, frontier, length(snapshot) AS bytes FROM checkpoints WHERE materialiser_version = ? ORDER BY seq")
    .all(MATERIALISER_VERSION) as ReadonlyArray<CheckpointInfo>;
}

/**
 * Takes every checkpoint that is due: one per `every` ops stored since the
 * last one. Returns how many were taken. Each is built from the previous
 * checkpoint plus the ops after it, in their own write transaction.
 */
export function updateCheckpoints(db: Database.Database, every: number = CHECKPOINT_EVERY): number {
  if (!Number.isInteger(every) || every < 1) {
    throw new RangeError(`checkpoint interval must be a whole number of ops >= 1, got ${String(every)}`);
  }
  let taken = 0;
  for (;;) {
    const last = latestCheckpoint(db);
    const after = last?.seq ?? 0;
    const due = db
      .prepare("SELECT seq FROM ops WHERE seq > ? ORDER BY seq LIMIT 1 OFFSET ?")
      .pluck()
      .get(after, every - 1) as number | undefined;
    if (due === undefined) return taken;
    storeCheckpoint(db, last, due);
    taken++;
  }
}

/** Takes a checkpoint at the end of the log now (on demand); undefined if the log is empty or already checkpointed there. */
export function takeCheckpoint(db: Database.Database): CheckpointInfo | undefined {
  const end = db.prepare("SELECT max(seq) FROM ops").pluck().get() as number | null;
  const last = latestCheckpoint(db);
  if (end === null || end === last?.seq) return undefined;
  storeCheckpoint(db, last, end);
  return listCheckpoints(db).find((c) => c.seq === end);
}

/**
 * Canonical state of the ops with HLC <= `upTo` (all ops if undefined), from
 * the latest intact checkpoint that can serve it plus the tail; undefined
 * when none can (the caller replays the whole log). `from` is the seq of the
 * checkpoint used.
 */
export function stateFromCheckpoint(db: Database.Database, upTo?: string): { readonly state: string; readonly from: number } | undefined {
  return withCheckpointState(db, upTo, (state, from) => ({ state: canonicalState(state), from }));
}

/**
 * Calls `use` with the materialised tables of the ops with HLC <= `upTo`
 * (all ops if undefined) as an in-memory database, restored from the latest
 * intact checkpoint that can serve it plus the tail, and closes it after;
 * undefined when no checkpoint can. `from` is the seq of the checkpoint used.
 */
export function withCheckpointState<T>(
  db: Database.Database,
  upTo: string | undefined,
  use: (state: Database.Database, from: number) => T,
): T | undefined {
  const candidates = db
    .prepare("SELECT seq FROM checkpoints WHERE materialiser_version = ? AND (? IS NULL OR frontier <= ?) ORDER BY seq DESC")
    .pluck()
    .all(MATERIALISER_VERSION, upTo ?? null, upTo ?? null) as ReadonlyArray<number>;
  const base = newestIntact(db, candidates);
  if (base === undefined) return undefined;
  const state = openSnapshot(db, base);
  try {
    replayTail(db, state, base.seq, undefined, upTo);
    return use(state, base.seq);
  } finally {
    state.close();
  }
}

/** Checkpoints whose stored content no longer matches its hash (damaged file or tampering). */
export function damagedCheckpoints(db: Database.Database): ReadonlyArray<number> {
  const seqs = db.prepare("SELECT seq FROM checkpoints ORDER BY seq").pluck().all() as ReadonlyArray<number>;
  return seqs.filter((seq) => !isIntact(readCheckpoint(db, seq)));
}

/** Snapshots are large: read them one at a time, newest first, until one is intact (not all, then pick). */
function newestIntact(db: Database.Database, seqsNewestFirst: ReadonlyArray<number>): CheckpointRow | undefined {
  for (const seq of seqsNewestFirst) {
    const checkpoint = readCheckpoint(db, seq);
    if (isIntact(checkpoint)) return checkpoint;
  }
  return undefined;
}

function isIntact(checkpoint: CheckpointRow): boolean {
  return snapshotHash(checkpoint.snapshot) === checkpoint.hash;
}

function latestCheckpoint(db: Database.Database): CheckpointRow | undefined {
  const seq = db.prepare("SELECT max(seq) FROM checkpoints WHERE materialiser_version = ?").pluck().get(MATERIALISER_VERSION) as
    number | null;
  return seq === null ? undefined : readCheckpoint(db, seq);
}

function readCheckpoint(db: Database.Database, seq: number): CheckpointRow {
  return db.prepare("SELECT seq, frontier, snapshot, hash FROM checkpoints WHERE seq = ?").get(seq) as CheckpointRow;
}

function storeCheckpoint(db: Database.Database, previous: CheckpointRow | undefined, seq: number): void {
  if (previous !== undefined && !isIntact(previous)) {
    throw new Error(
      `checkpoint at op ${previous.seq} does not match its hash (the file is damaged): run verify({ full: true }) and rebuild the checkpoints`,
    );
  }
  const state = openSnapshot(db, previous);
  try {
    replayTail(db, state, previous?.seq ?? 0, seq);
    const snapshot = gzipSync(state.serialize(), { level: 1 });
    db.transaction(() => {
      const frontier = maxHlcUpToSeq(db, seq) as string;
      db.prepare("INSERT INTO checkpoints (seq, frontier, materialiser_version, snapshot, hash, created_at) VALUES (?, ?, ?, ?, ?, ?)").run(
        seq,
        frontier,
        MATERIALISER_VERSION,
        snapshot,
        snapshotHash(snapshot),
        new Date().toISOString(),
      );
    }).immediate();
  } finally {
    state.close();
  }
}

/**
 * A checkpoint's tables as a fresh in-memory database (empty tables if none).
 * The materialiser reads an applied op back by id (the actor and value of a
 * concurrent edit): the state borrows the log's ops for that (`lendOps`),
 * so the snapshot never needs a copy of the log.
 */
function openSnapshot(log: Database.Database, checkpoint: CheckpointRow | undefined): Database.Database {
  const state = checkpoint === undefined ? new Database(":memory:") : new Database(inflateSnapshot(checkpoint.snapshot));
  if (checkpoint === undefined) installMaterialiser(state);
  lendOps(state, log);
  return state;
}

/**
 * The serialised database of a stored snapshot. gzip's trailer holds the
 * inflated size (mod 2^32; a state is far smaller), so the output is one
 * buffer of that size instead of 16 KB chunks copied together at the end
 * (that copy was ~8% of a restore plus tail at 1,000,000 ops).
 */
function inflateSnapshot(snapshot: Buffer): Buffer {
  const size = snapshot.length >= 4 ? snapshot.readUInt32LE(snapshot.length - 4) : 0;
  return gunzipSync(snapshot, size >= constants.Z_MIN_CHUNK ? { chunkSize: size } : {});
}

/** Applies the ops with `after < seq <= upToSeq` (and HLC <= upToHlc) to `state`, page by page in arrival order. */
function replayTail(log: Database.Database, state: Database.Database, after: number, upToSeq?: number, upToHlc?: string): void {
  let from = after;
  for (;;) {
    const rows = opsBySeq(log, from, TAIL_PAGE, { upToSeq, upToHlc });
    const last = rows[rows.length - 1];
    if (last === undefined) return;
    applyOps(
      state,
      rows.map((r) => r.op),
    );
    from = last.seq;
  }
}

function snapshotHash(snapshot: Buffer): string {
  return createHash("sha256").update(snapshot).digest("hex");
}
