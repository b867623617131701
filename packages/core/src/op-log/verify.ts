/**
 * `verify`: rebuild the state from the log alone, in memory, and compare it
 * with the live entity tables (docs/design.md §5: entity tables are disposable,
 * so any difference is a materialiser bug, never data to keep).
 */
import type Database from "better-sqlite3";
import { canonicalState } from "../materialiser/index.js";
import { opsAfter } from "./ops-store.js";
import { replayState } from "./replay.js";

export interface VerifyResult {
  readonly ok: boolean;
  /** The first differing lines of the canonical dumps, when not ok. */
  readonly diff?: string;
}

export function verifyState(db: Database.Database): VerifyResult {
  const live = canonicalState(db);
  const rebuilt = replayState(opsAfter(db));
  return live === rebuilt ? { ok: true } : { ok: false, diff: describeDiff(live, rebuilt) };
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
