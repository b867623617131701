/** Core benchmarks (docs/design.md §8); run by `pnpm bench`. */
import { benchAppend } from "./append.js";
import { benchCheckpoints } from "./checkpoints.js";
import { benchInteractiveEdit } from "./interactive-edit.js";
import { benchRebuild } from "./rebuild.js";

export function runCoreBenchmarks(): void {
  benchAppend();
  benchInteractiveEdit();
  benchRebuild();
  // `pnpm bench --full`: the 1,000,000-op figure (minutes to build here).
  benchCheckpoints({ full: process.argv.includes("--full") });
}
