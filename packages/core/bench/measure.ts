/**
 * Measuring helpers shared by the benchmarks: wall time, percentiles, a
 * child-process runner (peak memory is only meaningful per process), and the
 * one line format every benchmark prints: figure, baseline, ratio, target.
 */
import { execFileSync } from "node:child_process";

/** Scales every op count: QC_BENCH_SCALE=0.01 gives a quick smoke run. */
export const BENCH_SCALE = Number(process.env.QC_BENCH_SCALE ?? 1);
export const scaled = (n: number): number => Math.max(10, Math.round(n * BENCH_SCALE));

export function timeMs(fn: () => void): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export function percentile(sortedMs: ReadonlyArray<number>, p: number): number {
  if (sortedMs.length === 0) return Number.NaN;
  const index = Math.min(sortedMs.length - 1, Math.ceil((p / 100) * sortedMs.length) - 1);
  return sortedMs[Math.max(0, index)] as number;
}

/** Runs a bench child script (TypeScript, through tsx) and parses the JSON it prints last. */
export function runChild<T>(script: string, args: ReadonlyArray<string>): T {
  const out = execFileSync(process.execPath, ["--import", "tsx", script, ...args], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const last = out.trim().split("\n").pop() ?? "";
  return JSON.parse(last) as T;
}

export interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly baseline?: { readonly name: string; readonly value: number };
  /** How to read the ratio: "higher" means value/baseline should be high (throughput). */
  /** `met` undefined: the target is for another scale than this run's (printed as not judged, never as met). */
  readonly target?: { readonly text: string; readonly met: boolean | undefined };
}

export function printFigure(f: Figure): void {
  const v = formatNumber(f.value);
  const base =
    f.baseline === undefined
      ? ""
      : `  | baseline (${f.baseline.name}): ${formatNumber(f.baseline.value)} ${f.unit}  | ratio ${(f.value / f.baseline.value).toFixed(3)}`;
  const verdict = f.target?.met === undefined ? "not judged at this scale" : f.target.met ? "MET" : "NOT MET";
  const target = f.target === undefined ? "" : `  | target ${f.target.text}: ${verdict}`;
  console.log(`${f.name}: ${v} ${f.unit}${base}${target}`);
}

function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Math.abs(n) >= 100) return Math.round(n).toLocaleString("en-US");
  return n.toFixed(3);
}
