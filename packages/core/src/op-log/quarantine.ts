/**
 * The quarantine: remote input that failed a check on ingest.
 *
 * Invariants: a quarantined op is never applied and never dropped; the same
 * raw input quarantined twice (a replayed page) is stored once, keyed by the
 * hash of its stable JSON; the first reason recorded for it is kept.
 */
import type Database from "better-sqlite3";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";
import { prep } from "./statements.js";

export type QuarantineReason =
  | "invalid" // failed decoding / validation; detail is the decoder's message
  | "newer-version" // envelope v above ours: kept for a newer qc
  | "unknown-kind" // kind this qc does not know: kept for a newer qc
  | "wrong-project" // op of another project
  | "id-not-hlc" // id differs from hlc
  | "wrong-replica" // hlc does not end in the op's replica
  | "clock-ahead" // hlc beyond the local clock's drift bound
  | "id-reused" // id already stored with other content
  | "unapplicable"; // stored, but the materialiser could not apply its content (materialiser/text.ts); never applied

export interface QuarantineEntry {
  readonly id: string | undefined;
  readonly hlc: string | undefined;
  readonly reason: QuarantineReason;
  /** What was wrong, in words. */
  readonly detail: string;
  /** The input as received. */
  readonly raw: unknown;
  readonly receivedAt: string;
  /** Where it came from: "ingest" or the deployment of a sync stream. */
  readonly from: string;
}

export interface QuarantineInput {
  readonly id?: string | undefined;
  readonly hlc?: string | undefined;
  readonly reason: QuarantineReason;
  readonly detail: string;
  readonly raw: unknown;
  readonly from: string;
}

/** Stores the entry unless the same raw input is already quarantined. */
export function quarantineOp(db: Database.Database, entry: QuarantineInput, receivedAt: string): void {
  const raw = stableStringify(entry.raw);
  prep(
    db,
    `INSERT OR IGNORE INTO quarantine (id, hlc, reason, detail, raw, raw_hash, received_at, origin)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(entry.id ?? null, entry.hlc ?? null, entry.reason, entry.detail, raw, hashText(raw), receivedAt, entry.from);
}

/** Entries still held (not released after a retry), oldest first. */
export function listQuarantine(db: Database.Database): ReadonlyArray<QuarantineEntry> {
  const rows = db
    .prepare(
      `SELECT id, hlc, reason, detail, raw, received_at, origin FROM quarantine
       WHERE released_at IS NULL ORDER BY qid`,
    )
    .all() as ReadonlyArray<QuarantineRow>;
  return rows.map(toEntry);
}

/** Raw inputs quarantined for being ahead of the clock, for a later retry. */
export function clockAheadRows(
  db: Database.Database,
): ReadonlyArray<{ readonly qid: number; readonly raw: unknown; readonly from: string }> {
  const rows = prep(
    db,
    "SELECT qid, raw, origin FROM quarantine WHERE reason = 'clock-ahead' AND released_at IS NULL ORDER BY hlc",
  ).all() as ReadonlyArray<{ qid: number; raw: string; origin: string }>;
  return rows.map((r) => ({ qid: r.qid, raw: JSON.parse(r.raw) as unknown, from: r.origin }));
}

/** Marks an entry as released (it passed its checks later); the row stays. */
export function releaseQuarantined(db: Database.Database, qid: number, at: string): void {
  db.prepare("UPDATE quarantine SET released_at = ? WHERE qid = ?").run(at, qid);
}

interface QuarantineRow {
  id: string | null;
  hlc: string | null;
  reason: QuarantineReason;
  detail: string;
  raw: string;
  received_at: string;
  origin: string;
}

function toEntry(row: QuarantineRow): QuarantineEntry {
  return {
    id: row.id ?? undefined,
    hlc: row.hlc ?? undefined,
    reason: row.reason,
    detail: row.detail,
    raw: JSON.parse(row.raw) as unknown,
    receivedAt: row.received_at,
    from: row.origin,
  };
}

/**
 * JSON with sorted keys that never throws: remote input may hold anything
 * (cycles, BigInt, functions), and quarantine must still keep it.
 */
export function stableStringify(value: unknown): string {
  try {
    const text = JSON.stringify(sortKeys(value, new Set()));
    return text === undefined ? JSON.stringify(String(value)) : text;
  } catch {
    return JSON.stringify(String(value));
  }
}

function sortKeys(value: unknown, seen: Set<object>): unknown {
  if (typeof value === "bigint") return `${value}n`;
  if (value === null || typeof value !== "object") return value;
  if (seen.has(value)) return "[cycle]";
  seen.add(value);
  const out = Array.isArray(value)
    ? value.map((v) => sortKeys(v, seen))
    : Object.fromEntries(
        Object.keys(value)
          .sort()
          .map((k) => [k, sortKeys((value as Record<string, unknown>)[k], seen)]),
      );
  seen.delete(value);
  return out;
}

function hashText(text: string): string {
  return bytesToHex(sha256(utf8ToBytes(text)));
}
