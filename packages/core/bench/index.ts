/** Core benchmarks (docs/design.md §8); run by `pnpm bench`. */
import { benchAppend } from "./append.js";
import { benchInteractiveEdit } from "./interactive-edit.js";
import { benchRebuild } from "./rebuild.js";

export function runCoreBenchmarks(): void {
  benchAppend();
  benchInteractiveEdit();
  benchRebuild();
}
