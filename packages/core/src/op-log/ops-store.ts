/**
 * Reads of the `ops` table. The canonical JSON in `ops.op` is the source of
 * truth; rows come back as `Op` values (the log only ever holds ops that
 * passed `classifyOp`, so no re-decoding on the way out).
 */
import type Database from "better-sqlite3";
import type { Op } from "../op/op.js";
import { pluck, prep, prepRaw } from "./statements.js";

export interface OpRow {
  readonly seq: number;
  readonly op: Op;
  readonly hash: string;
}

export function storedHash(db: Database.Database, id: string): string | undefined {
  return pluck<string>(db, "SELECT hash FROM ops WHERE id = ?", id);
}

/**
 * Stored hashes of many ids in one query (ids not stored are absent); the
 * same answers as `storedHash` per id, for a batch's lookups.
 */
export function storedHashes(db: Database.Database, ids: ReadonlyArray<string>): Map<string, string> {
  const rows = prepRaw(db, "SELECT id, hash FROM ops WHERE id IN (SELECT value FROM json_each(?))").all(JSON.stringify(ids)) as Array<
    [string, string]
  >;
  return new Map(rows);
}

/** Highest HLC in the log (every replica's ops), or undefined if empty. */
export function maxHlc(db: Database.Database): string | undefined {
  // On every transaction's clock raise: a cached statement, not a new prepare each time.
  const row = prep(db, "SELECT max(hlc) AS hlc FROM ops").get() as { hlc: string | null };
  return row.hlc ?? undefined;
}

export function countOps(db: Database.Database): number {
  return (prep(db, "SELECT count(*) AS n FROM ops").get() as { n: number }).n;
}

/** Ops with HLC > `after` (all if undefined), HLC order. */
export function opsAfter(db: Database.Database, after?: string): ReadonlyArray<Op> {
  return after === undefined
    ? selectOps(db, "SELECT op FROM ops ORDER BY hlc")
    : selectOps(db, "SELECT op FROM ops WHERE hlc > ? ORDER BY hlc", after);
}

/** Ops with HLC <= `upTo`, HLC order. */
export function opsUpTo(db: Database.Database, upTo: string): ReadonlyArray<Op> {
  return selectOps(db, "SELECT op FROM ops WHERE hlc <= ? ORDER BY hlc", upTo);
}

/** Every row with its local seq and hash, in seq order (for audits and tests). */
export function allOpRows(db: Database.Database): ReadonlyArray<OpRow> {
  const rows = db.prepare("SELECT seq, op, hash FROM ops ORDER BY seq").all() as ReadonlyArray<{ seq: number; op: string; hash: string }>;
  return rows.map((r) => ({ seq: r.seq, op: JSON.parse(r.op) as Op, hash: r.hash }));
}

export function selectOps(db: Database.Database, sql: string, ...params: ReadonlyArray<unknown>): ReadonlyArray<Op> {
  const rows = db.prepare(sql).all(...params) as ReadonlyArray<{ op: string }>;
  return rows.map((r) => JSON.parse(r.op) as Op);
}
