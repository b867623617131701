/**
 * The one workload every system of `pnpm bench:peers` runs, and the result
 * line each child prints. The same edits in the same order for qc, Loro and
 * cr-sqlite: `codes` codes created (setup, batches of 1,000), then W1 runs
 * `edits` single-edit commits and W2 another `edits` in batches of 1,000;
 * edit i renames (even i) or recolours (odd i) code (i * 7919) mod codes.
 * A commit is a write to the OS with no fsync (qc: synchronous=NORMAL in WAL,
 * its default; Loro: the commit's update appended to a file).
 */
import { closeSync, openSync, readdirSync, readSync, statSync, writeSync } from "node:fs";
import { join } from "node:path";
import { percentile } from "../../packages/core/bench/measure.js";

export const BATCH = 1_000;

export interface PeerArgs {
  readonly codes: number;
  readonly edits: number;
  readonly dir: string;
}

/** What one child measured; NaN where a system cannot do the step here. */
export interface PeerResult {
  readonly w1EditsPerSec: number;
  readonly w1P99Ms: number;
  readonly w1MaxMs: number;
  readonly w2EditsPerSec: number;
  readonly w3ChangesPerSec: number;
  readonly w4Ms: number;
  readonly rssMb: number;
  readonly diskBytes: number;
  /** Changes the store holds and W3 catches up: codes + 2 × edits. */
  readonly changes: number;
}

export type Edit =
  | { readonly code: number; readonly field: "name"; readonly value: string }
  | { readonly code: number; readonly field: "color"; readonly value: string };

export function parsePeerArgs(argv: ReadonlyArray<string>): PeerArgs {
  const [codes, edits, dir] = argv;
  if (dir === undefined || !(Number(codes) > 0) || !(Number(edits) > 0)) throw new Error("usage: <child>.ts <codes> <edits> <dir>");
  return { codes: Number(codes), edits: Number(edits), dir };
}

export const codeName = (i: number): string => `code ${i}`;

export function editAt(i: number, codes: number): Edit {
  const code = (i * 7919) % codes;
  return i % 2 === 0
    ? { code, field: "name", value: `renamed ${code} ${i}` }
    : { code, field: "color", value: `#${((i * 2654435761) % 0xffffff).toString(16).padStart(6, "0")}` };
}

/** W1: each edit timed on its own. */
export async function timeEachEdit(
  args: PeerArgs,
  edit: (e: Edit) => unknown,
): Promise<Pick<PeerResult, "w1EditsPerSec" | "w1P99Ms" | "w1MaxMs">> {
  const samples: number[] = [];
  const started = performance.now();
  for (let i = 0; i < args.edits; i++) {
    const t = performance.now();
    await edit(editAt(i, args.codes));
    samples.push(performance.now() - t);
  }
  const total = performance.now() - started;
  samples.sort((a, b) => a - b);
  return { w1EditsPerSec: (args.edits / total) * 1000, w1P99Ms: percentile(samples, 99), w1MaxMs: samples[samples.length - 1] as number };
}

/** W2: the next `edits` edits (after W1's), handed to `commit` in batches of 1,000. */
export async function timeBatches(args: PeerArgs, commit: (edits: ReadonlyArray<Edit>) => unknown): Promise<number> {
  const started = performance.now();
  for (let from = 0; from < args.edits; from += BATCH) {
    const edits: Edit[] = [];
    for (let i = from; i < Math.min(from + BATCH, args.edits); i++) edits.push(editAt(args.edits + i, args.codes));
    await commit(edits);
  }
  return (args.edits / (performance.now() - started)) * 1000;
}

export async function timeMsAsync(fn: () => unknown): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

/**
 * The others' changes as W3 reads them: each system's wire form, one page a
 * line in a file, read back one page at a time. The harness so holds no more
 * than a page in memory; the whole log held as JS objects (qc's ops, 210k at
 * --scale default) was charged to the system's peak RSS (issue 12).
 */
export function writePages(file: string, pages: Iterable<string>): PageFile {
  const fd = openSync(file, "w");
  const lengths: number[] = [];
  try {
    for (const page of pages) lengths.push(writeSync(fd, page));
  } finally {
    closeSync(fd);
  }
  return { file, lengths };
}

export interface PageFile {
  readonly file: string;
  /** Byte length of each page, in order. */
  readonly lengths: ReadonlyArray<number>;
}

/** Each page of `pages`, in order, as the string written. */
export function* readPages(pages: PageFile): Generator<string> {
  const fd = openSync(pages.file, "r");
  try {
    for (const length of pages.lengths) {
      const bytes = Buffer.allocUnsafe(length);
      if (readSync(fd, bytes, 0, length, null) !== length) throw new Error(`${pages.file}: a page is cut short`);
      yield bytes.toString("utf8");
    }
  } finally {
    closeSync(fd);
  }
}

/** Bytes of the files in `dir` whose names start with `prefix`. */
export function bytesOf(dir: string, prefix: string): number {
  return readdirSync(dir)
    .filter((f) => f.startsWith(prefix))
    .reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
}

/** The last line of a child: its figures plus its own peak RSS (VmHWM). */
export function printResult(result: Omit<PeerResult, "rssMb">): void {
  console.log(JSON.stringify({ ...result, rssMb: process.resourceUsage().maxRSS / 1024 }));
}
