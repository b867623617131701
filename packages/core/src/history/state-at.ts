/**
 * "What did the project look like at T?" (docs/design.md intro, §4 invariant:
 * state at the k-th op equals a replay of the first k ops).
 *
 * T is an HLC (ops with HLC <= T), or a wall time (Date or ISO string): the
 * last HLC whose wall time is <= T, i.e. every op stamped at or before T.
 * The replay runs in a separate in-memory database with the live code,
 * from the latest checkpoint that can serve T when there is one
 * (op-log/checkpoints.ts), else from the start of the log.
 */
import type Database from "better-sqlite3";
import { isHlc } from "../hlc.js";
import { OpLogError } from "../op-log/errors.js";
import { canonicalState } from "../materialiser/index.js";
import { withCheckpointState } from "../op-log/checkpoints.js";
import { opsUpTo } from "../op-log/ops-store.js";
import { withReplayedState } from "../op-log/replay.js";

export type PointInTime = string | Date;

export function stateAt(db: Database.Database, at: PointInTime): string {
  return withStateAt(db, at, canonicalState);
}

/**
 * Calls `use` with the materialised tables as they were at `at`, in an
 * in-memory database closed after: restored from a checkpoint when one can
 * serve `at`, else replayed from the start of the log. Readers that work on
 * the live tables (the code tree, segment counts) work on these the same.
 */
export function withStateAt<T>(db: Database.Database, at: PointInTime, use: (state: Database.Database) => T): T {
  const bound = toHlcBound(at);
  const restored = withCheckpointState(db, bound, (state) => ({ value: use(state) }));
  return restored !== undefined ? restored.value : withReplayedState(opsUpTo(db, bound), use);
}

/**
 * The largest HLC string that is "at or before" `at`. For a wall time this is
 * `<iso>-ffff-ffffffffffffffff`, above every HLC of that millisecond.
 */
export function toHlcBound(at: PointInTime): string {
  if (typeof at === "string" && isHlc(at)) return at;
  return `${readWallTime(at)}-ffff-ffffffffffffffff`;
}

/** The smallest HLC string "at or after" `at`: every HLC of that millisecond is above `<iso>-`. */
export function toHlcLowerBound(at: PointInTime): string {
  if (typeof at === "string" && isHlc(at)) return at;
  return `${readWallTime(at)}-`;
}

function readWallTime(at: PointInTime): string {
  const ms = at instanceof Date ? at.getTime() : Date.parse(at);
  if (!Number.isFinite(ms) || ms < 0) {
    throw new OpLogError({
      reason: "invalid-time",
      message: `cannot read ${JSON.stringify(String(at))} as a point in time: give an HLC, a Date or an ISO-8601 time such as 2026-11-25T12:00:00.000Z`,
    });
  }
  return new Date(ms).toISOString();
}
