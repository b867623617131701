/**
 * Hybrid logical clock (docs/design.md §3).
 *
 * An HLC is the string `<ISO-8601 UTC with ms>-<counter, 4 hex>-<replica, 16 hex>`,
 * e.g. `2026-11-25T12:00:00.000Z-0000-7f3a9c2e1b4d5a6c`. Every part has a fixed
 * width, so string order equals the order of (wall ms, counter, replica):
 * HLCs sort as plain strings and `compareHlc` is a string comparison.
 *
 * Invariants of a clock made by `makeClock`:
 * - every `tick()` is strictly greater than every HLC the clock issued, was
 *   seeded with (`seen`), observed or received, even when `now()` goes backwards;
 * - a remote HLC more than `maxDriftMs` ahead of `now()` is refused with a
 *   `ClockDriftError` and leaves the clock unchanged;
 * - the counter never exceeds 0xffff: on overflow the wall time moves 1 ms on.
 *
 * Pure: the wall clock and randomness are injected; no I/O, no Node modules
 * (convex/ functions import this through `@qc/core/op`).
 */
import { randomBytes } from "@noble/hashes/utils.js";
import * as Data from "effect/Data";

export type Hlc = string;

export interface HlcParts {
  readonly wallMs: number;
  readonly counter: number;
  readonly replica: string;
}

export interface Clock {
  /** A new local HLC, strictly greater than `last()`. */
  readonly tick: () => Hlc;
  /** Merges a remote HLC; throws `ClockDriftError` or `HlcParseError`. */
  readonly receive: (remote: Hlc) => void;
  /**
   * Raises the clock to an HLC already stored (the log's highest, which
   * another process on the same file may have written): no drift check, it
   * was checked when it entered the log. A no-op for an HLC at or below `last()`.
   */
  readonly observe: (stored: Hlc) => void;
  /** The highest HLC the clock issued, observed, received or was seeded with. */
  readonly last: () => Hlc | undefined;
}

export interface ClockOptions {
  readonly replica: string;
  readonly now?: () => number;
  /** Default 5 minutes (docs/design.md §5). */
  readonly maxDriftMs?: number;
  /** Highest HLC already in the log, so local HLCs strictly exceed it after reopen. */
  readonly seen?: Hlc;
}

export const MAX_COUNTER = 0xffff;
export const DEFAULT_MAX_DRIFT_MS = 5 * 60_000;
/** 9999-12-31T23:59:59.999Z: the last instant with a 4-digit ISO year. */
export const MAX_WALL_MS = 253_402_300_799_999;

/** Characters of the ISO-8601 part, e.g. 2026-11-25T12:00:00.000Z. */
const ISO_LENGTH = 24;
const HLC_PATTERN = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)-([0-9a-f]{4})-([0-9a-f]{16})$/;
const REPLICA_PATTERN = /^[0-9a-f]{16}$/;

export class HlcParseError extends Data.TaggedError("HlcParseError")<{
  readonly input: unknown;
  readonly reason: string;
}> {
  override get message(): string {
    return `not a valid HLC ${describeInput(this.input)}: ${this.reason}`;
  }
}

export class HlcFormatError extends Data.TaggedError("HlcFormatError")<{
  readonly parts: unknown;
  readonly reason: string;
}> {
  override get message(): string {
    return `cannot format HLC: ${this.reason}`;
  }
}

export class ClockDriftError extends Data.TaggedError("ClockDriftError")<{
  readonly remote: Hlc;
  readonly localWallMs: number;
  readonly aheadMs: number;
  readonly maxDriftMs: number;
}> {
  override get message(): string {
    return (
      `op clock is ${formatDuration(this.aheadMs)} ahead of this machine; check the sender's clock, ` +
      `or this machine's if it is behind (limit ${formatDuration(this.maxDriftMs)}; op HLC ${this.remote})`
    );
  }
}

export function isReplicaId(s: unknown): s is string {
  return typeof s === "string" && REPLICA_PATTERN.test(s);
}

export function isHlc(s: unknown): s is Hlc {
  return typeof s === "string" && readHlc(s) !== undefined;
}

export function parseHlc(s: unknown): HlcParts {
  if (typeof s !== "string") throw new HlcParseError({ input: s, reason: `expected a string, got ${typeof s}` });
  const parts = readHlc(s);
  if (parts !== undefined) return parts;
  throw new HlcParseError({ input: s, reason: explainBadHlc(s) });
}

export function formatHlc(parts: HlcParts): Hlc {
  const reason = checkParts(parts);
  if (reason !== undefined) throw new HlcFormatError({ parts, reason });
  const counter = parts.counter.toString(16).padStart(4, "0");
  return `${isoOfWallMs(parts.wallMs)}-${counter}-${parts.replica}`;
}

const TWO_DIGITS = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, "0"));
const THREE_DIGITS = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, "0"));
const DAY_MS = 86_400_000;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
// The date part ("YYYY-MM-DDT") of the last day formatted: most times formatted in a row share it.
let formattedDay = Number.NaN;
let formattedDayIso = "";

/**
 * `new Date(wallMs).toISOString()` for a wall time in [0, MAX_WALL_MS], at a
 * fraction of its cost: only a new day goes through Date (op keys decode
 * to HLCs on every register read, docs/decisions/0026).
 */
export function isoOfWallMs(wallMs: number): string {
  const day = Math.floor(wallMs / DAY_MS);
  if (day !== formattedDay) {
    formattedDayIso = new Date(day * DAY_MS).toISOString().slice(0, 11);
    formattedDay = day;
  }
  const inDay = wallMs - day * DAY_MS;
  const ms = inDay % 1000;
  const seconds = (inDay - ms) / 1000;
  const s = seconds % 60;
  const minutes = (seconds - s) / 60;
  const m = minutes % 60;
  return `${formattedDayIso}${TWO_DIGITS[(minutes - m) / 60]}:${TWO_DIGITS[m]}:${TWO_DIGITS[s]}.${THREE_DIGITS[ms]}Z`;
}

/**
 * The wall time of the ISO text at the start of `s` (its first 24
 * characters, `YYYY-MM-DDTHH:MM:SS.mmmZ`, with digits where the digits go:
 * the caller's pattern checked that), or undefined when they name no instant
 * `isoOfWallMs` would write: an impossible date or time (Feb 30, 24:00,
 * 23:59:60) or one before 1970. What `Date.parse` plus the round trip
 * through toISOString decide, without either.
 */
export function wallMsOfIso(s: string): number | undefined {
  const year = twoDigits(s, 0) * 100 + twoDigits(s, 2);
  const month = twoDigits(s, 5);
  const day = twoDigits(s, 8);
  if (year < 1970 || month < 1 || month > 12 || day < 1) return undefined;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > (month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] as number))) return undefined;
  const hours = twoDigits(s, 11);
  const minutes = twoDigits(s, 14);
  const seconds = twoDigits(s, 17);
  if (hours > 23 || minutes > 59 || seconds > 59) return undefined;
  // Days since 1970-01-01 of the civil date (H. Hinnant's days_from_civil; March-based years put Feb 29 last).
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const days = era * 146_097 + yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear - 719_468;
  const ms = (s.charCodeAt(20) - 48) * 100 + twoDigits(s, 21);
  return days * DAY_MS + ((hours * 60 + minutes) * 60 + seconds) * 1000 + ms;
}

function twoDigits(s: string, at: number): number {
  return (s.charCodeAt(at) - 48) * 10 + s.charCodeAt(at + 1) - 48;
}

/** Order of HLCs. Both must be valid HLCs: it compares them as strings. */
export function compareHlc(a: Hlc, b: Hlc): -1 | 0 | 1 {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The drift error `receive` would throw for `remote` at `nowMs`, if any. */
export function checkDrift(remote: Hlc, nowMs: number, maxDriftMs: number): ClockDriftError | undefined {
  const aheadMs = parseHlc(remote).wallMs - nowMs;
  if (aheadMs <= maxDriftMs) return undefined;
  return new ClockDriftError({ remote, localWallMs: nowMs, aheadMs, maxDriftMs });
}

export function newReplicaId(random: (bytes: number) => Uint8Array = randomBytes): string {
  const bytes = random(8);
  if (bytes.length !== 8) throw new RangeError(`newReplicaId: random source returned ${bytes.length} bytes, expected 8`);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export function makeClock(options: ClockOptions): Clock {
  const { replica } = options;
  if (!isReplicaId(replica)) {
    throw new HlcFormatError({ parts: { replica }, reason: `replica must be 16 lowercase hex chars, got ${describeInput(replica)}` });
  }
  const now = options.now ?? Date.now;
  const maxDriftMs = options.maxDriftMs ?? DEFAULT_MAX_DRIFT_MS;
  if (!(maxDriftMs >= 0)) throw new RangeError(`makeClock: maxDriftMs must be a number >= 0, got ${maxDriftMs}`);
  let state: { wallMs: number; counter: number } | undefined;
  let last: Hlc | undefined;
  if (options.seen !== undefined) {
    state = parseHlc(options.seen);
    last = options.seen;
  }

  // The ISO text of the last wall time formatted: edits in one millisecond share it (a Date and its
  // toISOString per tick cost as much as the rest of a tick).
  let isoMs = -1;
  let iso = "";
  const advance = (wallMs: number, counter: number): Hlc => {
    const next = counter > MAX_COUNTER ? { wallMs: wallMs + 1, counter: 0 } : { wallMs, counter };
    if (next.wallMs !== isoMs) {
      // The replica was checked above; formatHlc checks the rest (a wall time past MAX_WALL_MS throws).
      last = formatHlc({ ...next, replica });
      isoMs = next.wallMs;
      iso = last.slice(0, ISO_LENGTH);
    } else {
      last = `${iso}-${next.counter.toString(16).padStart(4, "0")}-${replica}`;
    }
    state = next;
    return last;
  };

  return {
    tick: () => {
      const pt = readNow(now);
      if (state === undefined || pt > state.wallMs) return advance(pt, 0);
      return advance(state.wallMs, state.counter + 1);
    },
    receive: (remote) => {
      const r = parseHlc(remote);
      const pt = readNow(now);
      const drift = checkDrift(remote, pt, maxDriftMs);
      if (drift !== undefined) throw drift;
      const l = state ?? { wallMs: -1, counter: -1 };
      const wallMs = Math.max(l.wallMs, r.wallMs, pt);
      if (wallMs === l.wallMs && wallMs === r.wallMs) advance(wallMs, Math.max(l.counter, r.counter) + 1);
      else if (wallMs === l.wallMs) advance(wallMs, l.counter + 1);
      else if (wallMs === r.wallMs) advance(wallMs, r.counter + 1);
      else advance(wallMs, 0);
    },
    observe: (stored) => {
      if (last !== undefined && stored <= last) return;
      state = parseHlc(stored);
      last = stored;
    },
    last: () => last,
  };
}

/** The parts of an HLC, or undefined when `s` is none (what `isHlc` decides). */
export function readHlc(s: string): HlcParts | undefined {
  const m = HLC_PATTERN.exec(s);
  if (m === null) return undefined;
  const [, iso = "", counter = "", replica = ""] = m;
  const wallMs = wallMsOfIso(iso);
  if (wallMs === undefined) return undefined;
  return { wallMs, counter: Number.parseInt(counter, 16), replica };
}

function explainBadHlc(s: string): string {
  const m = HLC_PATTERN.exec(s);
  if (m === null) {
    return "expected <ISO-8601 UTC with ms>-<counter, 4 lowercase hex>-<replica, 16 lowercase hex>, e.g. 2026-11-25T12:00:00.000Z-0000-7f3a9c2e1b4d5a6c";
  }
  return `${m[1]} is not a real instant at or after 1970-01-01`;
}

function checkParts(parts: HlcParts): string | undefined {
  const { wallMs, counter, replica } = parts;
  if (!Number.isSafeInteger(wallMs) || wallMs < 0 || wallMs > MAX_WALL_MS) {
    return `wallMs must be an integer in [0, ${MAX_WALL_MS}], got ${wallMs}`;
  }
  if (!Number.isInteger(counter) || counter < 0 || counter > MAX_COUNTER) {
    return `counter must be an integer in [0, 0xffff], got ${counter}`;
  }
  if (!isReplicaId(replica)) return `replica must be 16 lowercase hex chars, got ${describeInput(replica)}`;
  return undefined;
}

function readNow(now: () => number): number {
  const ms = now();
  if (!Number.isFinite(ms)) throw new RangeError(`clock now() returned ${ms}, expected epoch milliseconds`);
  return Math.min(Math.max(Math.floor(ms), 0), MAX_WALL_MS);
}

function formatDuration(ms: number): string {
  if (ms === Number.POSITIVE_INFINITY) return "none";
  return ms < 120_000 ? `${(ms / 1000).toFixed(1)} seconds` : `${(ms / 60_000).toFixed(1)} minutes`;
}

function describeInput(input: unknown): string {
  const text = typeof input === "string" ? JSON.stringify(input) : String(input);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
