/**
 * CPU time of a reopen: `openReplica` + the first read + `close` of one qc
 * file, back to back, median of `runs` after 30 of warm-up (docs/decisions/0022).
 * The file (1,000 codes, 2,000 renames) is made on the first run and then
 * reused. To compare two checkouts, run each one in turn on the same file.
 *
 *   reopen-loop.ts <file> [runs]
 */
import { existsSync } from "node:fs";
import { createReplica, openReplica } from "@qc/core";

const [file, runs = "500"] = process.argv.slice(2);
if (file === undefined) throw new Error("usage: reopen-loop.ts <file> [runs]");
const WARM_UP = 30;

if (!existsSync(file)) {
  const made = createReplica(file, { actor: "ana", projectName: "Reopen" });
  const ids: string[] = [];
  made.commands.batch((c) => {
    for (let i = 0; i < 1_000; i++) ids.push(c.createCode({ name: `code ${i}`, color: "#336699" }));
  });
  for (let i = 0; i < 2_000; i++) made.commands.rename("code", ids[(i * 7919) % 1_000] as string, `renamed ${i}`);
  made.close();
}

const cpuMs: number[] = [];
for (let i = 0; i < Number(runs) + WARM_UP; i++) {
  const started = process.cpuUsage();
  const reopened = openReplica(file, { actor: "ana" });
  if (reopened.read.entity("project", reopened.project) === undefined) throw new Error("reopened file lost its project");
  reopened.close();
  const used = process.cpuUsage(started);
  if (i >= WARM_UP) cpuMs.push((used.user + used.system) / 1000);
}
cpuMs.sort((a, b) => a - b);
console.log(
  `reopen + first read + close: median ${(cpuMs[Math.floor(cpuMs.length / 2)] as number).toFixed(3)} ms CPU over ${cpuMs.length} runs`,
);
