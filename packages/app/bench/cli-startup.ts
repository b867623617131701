/**
 * CLI start-up: wall time of `qc status --json` and `qc codes --json` on a
 * project of `ops` ops (1,000 codes, then renames spread over them), beside
 * bare `node -e ""` measured in the same run. Each command runs as a real
 * child process of the bundled CLI, the way a researcher or an agent starts
 * it. Target (issue 9): under 300 ms more than bare Node (median).
 *
 * Standalone: `npx tsx packages/app/bench/cli-startup.ts [ops]`.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { percentile, printFigure } from "../../core/bench/measure.js";
import { createProject } from "../src/project/index.js";
import { makeQcRunner } from "../test/support/cli.js";

const TARGET_EXTRA_MS = 300;
const RUNS = 9;
const CODES = 1_000;

export async function benchCliStartup(opts: { readonly ops: number }): Promise<void> {
  const qc = await makeQcRunner();
  try {
    const file = join(qc.dir, "big.qc");
    await populate(file, opts.ops);
    const bare = medianMs(process.execPath, ["-e", ""], qc.env());
    for (const command of [
      ["status", "--json"],
      ["codes", "--json"],
    ]) {
      const ms = medianMs(process.execPath, [qc.bundle, ...command, "-p", file], qc.env());
      printFigure({
        name: `qc ${command.join(" ")} on a ${opts.ops.toLocaleString("en-US")}-op project (median of ${RUNS})`,
        value: ms,
        unit: "ms",
        baseline: { name: 'node -e ""', value: bare },
        target: { text: `< ${TARGET_EXTRA_MS} ms more than bare Node`, met: ms - bare < TARGET_EXTRA_MS },
      });
    }
  } finally {
    qc.cleanup();
  }
}

/** 1,000 codes, then renames over them up to `ops`, in batches of 1,000 commands (one transaction each). */
async function populate(file: string, ops: number): Promise<void> {
  const project = createProject(file, { name: "Start-up bench", actor: "Ana" });
  try {
    const { commands } = project.replica;
    const ids = commands.batch((c) =>
      Array.from({ length: Math.min(CODES, ops) }, (_, i) => c.createCode({ name: `Code ${i}`, color: "#336699" })),
    );
    for (let done = ids.length; done < ops; done += 1_000) {
      const n = Math.min(1_000, ops - done);
      commands.batch((c) => {
        for (let i = 0; i < n; i++) c.rename("code", ids[(done + i) % ids.length]!, `Code ${done + i}`);
      });
    }
  } finally {
    await project.close();
  }
}

function medianMs(command: string, args: ReadonlyArray<string>, env: Record<string, string>): number {
  const times: Array<number> = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    const r = spawnSync(command, args, { env, stdio: ["ignore", "ignore", "pipe"] });
    times.push(performance.now() - start);
    if (r.status !== 0) throw new Error(`${args.join(" ")} exited ${r.status}: ${r.stderr.toString()}`);
  }
  return percentile(
    times.sort((a, b) => a - b),
    50,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  await benchCliStartup({ ops: Number(process.argv[2] ?? 100_000) });
}
