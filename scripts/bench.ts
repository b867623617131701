/**
 * `pnpm bench`: every benchmark, each printed beside its baseline measured in
 * the same run, with the ratio and, where docs/design.md §8 sets one, the target.
 * QC_BENCH_SCALE=0.01 scales op counts down for a quick smoke run.
 */
import { benchPushPull } from "../packages/convex-backend/bench/push-pull.js";
import { benchEditLatency } from "../packages/convex-backend/bench/edit-latency.js";
import { runCoreBenchmarks } from "../packages/core/bench/index.js";
import { printFigure, scaled } from "../packages/core/bench/measure.js";
import { benchCatchUp } from "../packages/core/bench/sync-catch-up.js";
import { benchBrowserEditLatency } from "../packages/app/bench/browser-edit-latency.js";
import { benchCliStartup } from "../packages/app/bench/cli-startup.js";

console.log(`qc benchmarks (scale ${process.env.QC_BENCH_SCALE ?? 1}), node ${process.version}, ${new Date().toISOString()}`);
console.log("\n## core (docs/design.md §8)");
runCoreBenchmarks();

console.log("\n## sync engine");
const catchUp = await benchCatchUp({ ops: scaled(100_000) });
printFigure({
  name: `catch-up of ${catchUp.ops.toLocaleString("en-US")} ops over the in-memory remote (pages of ${catchUp.pageSize})`,
  value: catchUp.catchUpMs,
  unit: "ms",
  baseline: { name: "pulling the same pages with no ingest", value: catchUp.pullOnlyMs },
});
printFigure({
  name: "catch-up through the engine",
  value: catchUp.catchUpMs,
  unit: "ms",
  baseline: { name: "plain pull + ingestPage loop (engine overhead)", value: catchUp.directIngestMs },
});
printFigure({
  name: "catch-up page ingest, last 10 pages (flat when ingest does not grow with the replica)",
  value: catchUp.lastPagesMs,
  unit: "ms",
  baseline: { name: "first 10 pages", value: catchUp.firstPagesMs },
});
await benchEditLatency({ edits: scaled(1_000) });

console.log("\n## Convex transport");
// convex-test scans a table for each index lookup, so its cost grows with the
// square of the op count: 100,000 ops would take hours. 2,000 keeps it minutes.
await benchPushPull({ ops: Math.min(scaled(100_000), 2_000), batch: 500 });

console.log("\n## qc CLI start-up (child processes of the bundled CLI)");
await benchCliStartup({ ops: scaled(100_000) });

console.log("\n## web UI (two browsers, two qc serve processes)");
await benchBrowserEditLatency({ edits: scaled(200) });
