/**
 * Checkpoints of materialised state (docs/design.md §5, docs/decisions/0012):
 * `stateAt` a random time, `read.asOf` (the trees the front doors show) and
 * `verify` on a large project, with checkpoints beside the same call
 * replaying the whole log (the baseline). Target: under
 * 1 s each at 1,000,000 ops. Default 200,000 ops (building the log and its
 * checkpoints takes minutes at 1M on the 2-core machine); `--full` or
 * QC_BENCH_CHECKPOINT_OPS=1000000 for the 1M figure.
 */
import { join } from "node:path";
import { openReplica } from "../src/replica.js";
import { replicaDb } from "../src/testing/replica-db.js";
import { makeTempDir } from "../src/testing/temp-dir.js";
import { stateAt } from "../src/history/state-at.js";
import { CHECKPOINT_EVERY, listCheckpoints, updateCheckpoints } from "../src/op-log/checkpoints.js";
import { hlcOfKey } from "../src/op-log/hlc-key.js";
import { opsUpTo } from "../src/op-log/ops-store.js";
import { replayState, withReplayedState } from "../src/op-log/replay.js";
import { canonicalState } from "../src/materialiser/index.js";
import { treeOf } from "../src/read/tree.js";
import { verifyState } from "../src/op-log/verify.js";
import { makePrng } from "../src/testing/pure/prng.js";
import { printFigure, scaled, timeMs } from "./measure.js";
import { writeLog } from "./rebuild.js";

const FULL_COUNT = 1_000_000;
const DEFAULT_COUNT = 200_000;
/** Random times per figure; the slowest is printed. */
const SAMPLES = 3;

export function benchCheckpoints(options: { readonly full?: boolean } = {}): void {
  const count = options.full === true ? FULL_COUNT : scaled(Number(process.env.QC_BENCH_CHECKPOINT_OPS ?? DEFAULT_COUNT));
  const path = join(makeTempDir("qc-bench-checkpoints-").root, "project.db");
  writeLog(path, count);
  const replica = openReplica(path, { actor: "bench", project: "bench-project", synchronous: "normal" });
  try {
    replica.rebuild();
    const db = replicaDb(replica);
    const hlcs = (db.prepare("SELECT hlc FROM ops ORDER BY seq").pluck().all() as ReadonlyArray<Buffer>).map(hlcOfKey);
    const rand = makePrng(7);
    const times = Array.from({ length: SAMPLES }, () => hlcs[Math.floor(rand() * hlcs.length)] as string);

    const replayMs = Math.max(...times.map((t) => timeMs(() => replayState(opsUpTo(db, t)))));
    const fullVerifyMs = timeMs(() => mustVerify(verifyState(db, { full: true })));

    const every = Math.min(CHECKPOINT_EVERY, Math.max(10, Math.round(count / 20)));
    const buildMs = timeMs(() => updateCheckpoints(db, every));
    const checkpoints = listCheckpoints(db);
    const bytes = checkpoints.reduce((sum, c) => sum + c.bytes, 0);
    let mismatches = 0;
    const stateAtTimes: Array<number> = [];
    const asOfTimes: Array<number> = [];
    for (const t of times) {
      let state = "";
      let past: ReturnType<typeof replica.read.asOf> | undefined;
      stateAtTimes.push(timeMs(() => (state = stateAt(db, t))));
      asOfTimes.push(timeMs(() => (past = replica.read.asOf(t))));
      const replayed = withReplayedState(opsUpTo(db, t), (s) => ({
        state: canonicalState(s),
        codes: treeOf(s, "codes"),
        sources: treeOf(s, "sources"),
      }));
      const same =
        state === replayed.state && JSON.stringify([past?.codes, past?.sources]) === JSON.stringify([replayed.codes, replayed.sources]);
      if (!same) mismatches++;
    }
    const [stateAtMs, asOfMs] = [Math.max(...stateAtTimes), Math.max(...asOfTimes)];
    if (mismatches > 0)
      throw new Error(`stateAt or asOf from a checkpoint differed from a full replay at ${mismatches} of ${SAMPLES} times`);
    const verifyMs = timeMs(() => mustVerify(verifyState(db)));

    const n = count.toLocaleString("en-US");
    // The target is for 1M ops: a smaller log meeting it says nothing.
    const judged = (ms: number): boolean | undefined => (count >= 1_000_000 ? ms < 1000 : undefined);
    console.log(
      `checkpoints: ${checkpoints.length} (one per ${every.toLocaleString("en-US")} ops), built in ${Math.round(buildMs).toLocaleString("en-US")} ms, ` +
        `${(bytes / 1e6).toFixed(1)} MB stored (${(bytes / count).toFixed(0)} bytes per op)`,
    );
    printFigure({
      name: `stateAt a random time, ${n} ops, with checkpoints (slowest of ${SAMPLES})`,
      value: stateAtMs,
      unit: "ms",
      baseline: { name: "replay of the log up to it", value: replayMs },
      target: { text: "< 1,000 ms at 1M ops", met: judged(stateAtMs) },
    });
    printFigure({
      name: `read.asOf a random time (both trees with segment counts, no dump), ${n} ops (slowest of ${SAMPLES})`,
      value: asOfMs,
      unit: "ms",
      baseline: { name: "stateAt (the dump of every table) at the same times", value: stateAtMs },
      target: { text: "< 1,000 ms at 1M ops", met: judged(asOfMs) },
    });
    printFigure({
      name: `verify, ${n} ops, from the latest checkpoint`,
      value: verifyMs,
      unit: "ms",
      baseline: { name: "verify({ full: true }), full replay", value: fullVerifyMs },
      target: { text: "< 1,000 ms at 1M ops", met: judged(verifyMs) },
    });
  } finally {
    replica.close();
  }
}

function mustVerify(result: { readonly ok: boolean; readonly diff?: string }): void {
  if (!result.ok) throw new Error(`verify failed on the bench log: ${result.diff ?? ""}`);
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, ""))) {
  benchCheckpoints({ full: process.argv.includes("--full") });
}
