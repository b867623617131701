/**
 * `pnpm bench`: every benchmark, each printed beside its baseline measured in
 * the same run, with the ratio and the DESIGN.md §8 target.
 * QC_BENCH_SCALE=0.01 scales op counts down for a quick smoke run.
 */
import { runCoreBenchmarks } from "../packages/core/bench/index.js";

console.log(`qc benchmarks (scale ${process.env.QC_BENCH_SCALE ?? 1}), node ${process.version}`);
runCoreBenchmarks();
