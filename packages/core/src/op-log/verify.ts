/**
 * `verify`: rebuild the state from the log alone, in memory, and compare it
 * with the live entity tables (docs/design.md §5: entity tables are disposable,
 * so any difference is a materialiser bug, never data to keep).
 *
 * By default the rebuild starts from the latest checkpoint (checkpoints.ts:
 * itself built from the log, never from the live tables, and checked against
 * its stored hash), replays only the ops stored after it, and is compared
 * with the live tables in SQL. `full` replays the whole log, compares the
 * canonical dumps, and checks every checkpoint's hash.
 */
import type Database from "better-sqlite3";
import { canonicalState } from "../materialiser/index.js";
import { sameCanonicalState } from "../materialiser/canonical-state.js";
import { damagedCheckpoints, listCheckpoints, withCheckpointState } from "./checkpoints.js";
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
  const latest = listCheckpoints(db).at(-1);
  if (options.full === true || latest === undefined) {
    const damaged = options.full === true ? damagedCheckpoints(db) : [];
    if (damaged.length > 0) return { ok: false, diff: describeDamage(damaged) };
    const live = canonicalState(db);
    const rebuilt = replayState(opsAfter(db));
    return live === rebuilt ? { ok: true } : { ok: false, diff: describeDiff(live, rebuilt) };
  }
  const rebuilt = withCheckpointState(db, undefined, (state, from) => ({ from, diff: differences(db, state) }));
  // withCheckpointState starts from the newest intact checkpoint: any other start means the latest is damaged.
  if (rebuilt?.from !== latest.seq) return { ok: false, diff: describeDamage([latest.seq]), from: latest.seq };
  return rebuilt.diff === undefined ? { ok: true, from: rebuilt.from } : { ok: false, diff: rebuilt.diff, from: rebuilt.from };
}

/**
 * How the live tables differ from the rebuilt `state`, undefined if not at
 * all. A project file is attached to the rebuilt database and the
 * two compared in SQL, so neither canonical dump is built unless they differ
 * (the dumps of a large project take seconds, docs/decisions/0016). An
 * in-memory project, or one inside an open transaction (whose uncommitted
 * rows another connection would not see), is compared by its dumps.
 */
function differences(db: Database.Database, state: Database.Database): string | undefined {
  if (!db.memory && !db.inTransaction) {
    // A plain path: this build of SQLite takes no URI filenames (so no mode=ro); only SELECTs run on it.
    state.prepare("ATTACH ? AS live").run(db.name);
    try {
      if (sameCanonicalState(state, "main", "live")) return undefined;
    } finally {
      state.exec("DETACH live");
    }
  }
  const live = canonicalState(db);
  const rebuilt = canonicalState(state);
  return live === rebuilt ? undefined : describeDiff(live, rebuilt);
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
