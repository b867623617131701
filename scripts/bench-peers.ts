/**
 * `pnpm bench:peers [--runs N] [--scale small|default|full]`: the peer
 * workloads (scripts/bench-peers/workload.ts) for qc, Loro and cr-sqlite,
 * each system in its own child process, back to back, the median of N runs
 * (default 3), then qc's ratio against the best peer per column (> 1: qc is
 * better, whichever way the column reads). Then the flat-cost check: qc's W2
 * and W3 at 10,000 ops against a larger log. A benchmark, never a test.
 *
 * What a child's RSS column holds (its peak, maxRSS): Node, the system's own
 * code and data, and the workload's edits, nothing of the harness's beyond a
 * page. Each child is an esbuild bundle run by plain node (bench-peers/
 * bundle.ts), so no TypeScript loader is in it, and W3 reads "the others'
 * changes" from a file one page at a time (workload.ts, writePages), so no
 * system holds the whole log as JS objects for the harness (decision 0010).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { bundleChild, runBundle } from "./bench-peers/bundle.js";
import type { PeerResult } from "./bench-peers/workload.js";

const SCALES = {
  small: { codes: 1_000, edits: 10_000, flatOps: 100_000 },
  default: { codes: 10_000, edits: 100_000, flatOps: 100_000 },
  full: { codes: 10_000, edits: 100_000, flatOps: 1_000_000 },
} as const;
const SYSTEMS = ["qc", "loro", "crsqlite"] as const;
type Column = { readonly key: Exclude<keyof PeerResult, "changes">; readonly label: string; readonly higherIsBetter: boolean };
const COLUMNS: ReadonlyArray<Column> = [
  { key: "w1EditsPerSec", label: "W1 edits/s", higherIsBetter: true },
  { key: "w1P99Ms", label: "W1 p99 ms", higherIsBetter: false },
  { key: "w1MaxMs", label: "W1 max ms", higherIsBetter: false },
  { key: "w2EditsPerSec", label: "W2 edits/s", higherIsBetter: true },
  { key: "w3ChangesPerSec", label: "W3 changes/s", higherIsBetter: true },
  { key: "w4Ms", label: "W4 ms", higherIsBetter: false },
  { key: "rssMb", label: "RSS MB", higherIsBetter: false },
  { key: "diskBytes", label: "disk B/change", higherIsBetter: false },
];

const { values } = parseArgs({ options: { runs: { type: "string", default: "3" }, scale: { type: "string", default: "default" } } });
const runs = Number(values.runs);
const scale = SCALES[values.scale as keyof typeof SCALES];
if (!Number.isInteger(runs) || runs < 1 || scale === undefined)
  throw new Error(`bench:peers: --runs takes a whole number >= 1 and --scale one of ${Object.keys(SCALES).join(", ")}`);

const bundles = new Map<string, string>();
for (const system of SYSTEMS) bundles.set(system, await bundleChild(system));
function runOnce(system: string, codes: number, edits: number): PeerResult {
  const dir = mkdtempSync(join(tmpdir(), `qc-bench-peers-${system}-`));
  try {
    const r = runBundle<Record<string, number | null>>(bundles.get(system) as string, [String(codes), String(edits), dir]);
    const result = Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v ?? Number.NaN])) as unknown as PeerResult;
    return { ...result, diskBytes: result.diskBytes / result.changes };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const median = (xs: ReadonlyArray<number>): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

console.log(
  `bench:peers: ${scale.codes.toLocaleString("en-US")} codes, ${scale.edits.toLocaleString("en-US")} edits in W1 and again in W2, ` +
    `median of ${runs} run(s), node ${process.version}, ${new Date().toISOString()}`,
);
const results = new Map<string, Record<string, number>>();
for (const system of SYSTEMS) {
  const all = Array.from({ length: runs }, () => runOnce(system, scale.codes, scale.edits));
  results.set(system, Object.fromEntries(COLUMNS.map((c) => [c.key, median(all.map((r) => r[c.key]))])));
}

const cell = (n: number): string => (Number.isNaN(n) ? "n/a" : n >= 100 ? Math.round(n).toLocaleString("en-US") : n.toFixed(2));
const rows = [["", ...COLUMNS.map((c) => c.label)], ...SYSTEMS.map((s) => [s, ...COLUMNS.map((c) => cell(results.get(s)![c.key]!))])];
const ratios = COLUMNS.map((c) => {
  const peers = SYSTEMS.filter((s) => s !== "qc")
    .map((s) => results.get(s)![c.key]!)
    .filter((v) => !Number.isNaN(v));
  if (peers.length === 0) return "n/a";
  const best = c.higherIsBetter ? Math.max(...peers) : Math.min(...peers);
  const qc = results.get("qc")![c.key]!;
  return (c.higherIsBetter ? qc / best : best / qc).toFixed(2);
});
rows.push(["qc vs best peer", ...ratios]);
const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
for (const r of rows) console.log(r.map((v, i) => (i === 0 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join("  "));
console.log("(ratio > 1: qc better than the best peer; cr-sqlite runs in memory in Node, see its child's header)");

// Flat cost: W2 edits/s and W3 changes/s should not fall as the log grows.
const small = runOnce("qc", 1_000, 10_000);
const large = runOnce("qc", scale.flatOps / 10, scale.flatOps);
const n = (ops: number) => ops.toLocaleString("en-US");
for (const [label, key] of [
  ["W2 edits/s", "w2EditsPerSec"],
  ["W3 changes/s", "w3ChangesPerSec"],
] as const)
  console.log(
    `flat cost, qc ${label}: ${cell(small[key])} at ${n(10_000)} edits, ${cell(large[key])} at ${n(scale.flatOps)} edits, ratio ${(large[key] / small[key]).toFixed(2)}`,
  );
