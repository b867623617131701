/**
 * `verify`: rebuild the state from the log alone, in memory, and compare it
 * with the live entity tables (docs/design.md §5: entity tables are disposable,
 * so any difference is a materialiser bug, never data to keep).
 *
 * By default the rebuild starts from the latest checkpoint (checkpoints.ts:
 * itself built from the log, never from the live tables, and checked against
 * its stored hash) and replays only the ops stored after it. `full` replays
 * the whole log and checks every checkpoint's hash.
 */
import type Database from "better-sqlite3";
import { canonicalState } from "../materialiser/index.js";
import { damagedCheckpoints, listCheckpoints, stateFromCheckpoint } from "./checkpoints.js";
import { opsAfter } from "./ops-store.js";
import { replayState } from "./replay.js";

export interface VerifyOptions {
  /** Replay the whole log instead of starting from the latest checkpoint, and check every checkpoint's hash. */
  readonly full?: boolean;
}

export interface VerifyResult {
  readonly ok: boolean;
  /** The first differing lines of the canonical dumps, or the damaged checkpoints, when not ok. */
  readonly diff?: string;
  /** The log position (seq) of the checkpoint the rebuild started from; absent for a full replay. */
  readonly from?: number;
}

export function verifyState(db: Database.Database, options: VerifyOptions = {}): VerifyResult {
  const live = canonicalState(db);
  const latest = listCheckpoints(db).at(-1);
  if (options.full === true || latest === undefined) {
    const damaged = options.full === true ? damagedCheckpoints(db) : [];
    if (damaged.length > 0) return { ok: false, diff: describeDamage(damaged) };
    const rebuilt = replayState(opsAfter(db));
    return live === rebuilt ? { ok: true } : { ok: false, diff: describeDiff(live, rebuilt) };
  }
  // stateFromCheckpoint starts from the newest intact checkpoint: any other start means the latest is damaged.
  const rebuilt = stateFromCheckpoint(db);
  if (rebuilt?.from !== latest.seq) return { ok: false, diff: describeDamage([latest.seq]), from: latest.seq };
  return live === rebuilt.state
    ? { ok: true, from: rebuilt.from }
    : { ok: false, diff: describeDiff(live, rebuilt.state), from: rebuilt.from };
}

function describeDamage(seqs: ReadonlyArray<number>): string {
  return `checkpoint(s) at op ${seqs.join(", ")} do not match their stored hash (the file is damaged); the ops are intact: run verify({ full: true }) to check the state by a full replay`;
}

/** First few lines that differ between two dumps (line-based, no LCS). */
export function describeDiff(live: string, rebuilt: string, maxLines = 5): string {
  const a = splitDump(live);
  const b = splitDump(rebuilt);
  const out: Array<string> = [];
  for (let i = 0; i < Math.max(a.length, b.length) && out.length < maxLines; i++) {
    if (a[i] === b[i]) continue;
    out.push(`line ${i + 1}:\n  live:    ${a[i] ?? "(missing)"}\n  rebuilt: ${b[i] ?? "(missing)"}`);
  }
  return out.join("\n");
}

/** Dumps may be one-line JSON: break after each top-level row-ish separator. */
function splitDump(dump: string): ReadonlyArray<string> {
  const lines = dump.split("\n");
  return lines.length > 1 ? lines : dump.split(/(?<=\}),(?=\{)|(?<=\]),(?=\[)/);
}
