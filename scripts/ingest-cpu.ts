/**
 * CPU time per op of W3 (an empty replica catching up: `sync.ingestPage` of
 * pages of 1,000 ops) and W2 (`commands.batch` of 1,000 edits), the
 * bench:peers workload (workload.ts) through the public API, with an
 * optional inspector CPU profile of only the ingest loop.
 *
 *   tsx scripts/ingest-cpu.ts <codes> <edits> <dir> [core-index.ts] [profile-prefix]
 *
 * `core-index.ts` (default: this checkout's packages/core/src/index.ts) lets
 * two versions of the core run back to back, one child process each: CPU
 * time (process.cpuUsage, user + system) is what the machine's load
 * disturbs least. Prints one JSON line: W2 and W3 µs of CPU per op, and the
 * median page CPU ms of the first and last tenth of the catch-up (flat cost).
 */
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type * as Core from "@qc/core";
import { BATCH, codeName, editAt, type Edit } from "./bench-peers/workload.js";

const [codesArg, editsArg, dir, coreArg, profileFile] = process.argv.slice(2);
if (dir === undefined) throw new Error("usage: ingest-cpu.ts <codes> <edits> <dir> [core-index.ts] [profile-prefix]");
const codes = Number(codesArg);
const edits = Number(editsArg);
const corePath = resolve(coreArg || join(import.meta.dirname, "../packages/core/src/index.ts"));
const { createReplica } = (await import(pathToFileURL(corePath).href)) as typeof Core;

const cpuMs = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const median = (xs: ReadonlyArray<number>): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};

const source = createReplica(join(dir, "source.sqlite"), { actor: "ana", projectName: "Ingest" });
const ids: string[] = [];
for (let from = 0; from < codes; from += BATCH)
  source.commands.batch((c) => {
    for (let i = from; i < Math.min(from + BATCH, codes); i++) ids.push(c.createCode({ name: codeName(i), color: "#336699" }));
  });
const apply = (c: Core.Commands, e: Edit): void =>
  e.field === "name" ? c.rename("code", ids[e.code] as string, e.value) : c.recolour("code", ids[e.code] as string, e.value);
const session = profileFile === undefined ? undefined : new Session();
const post = (method: string): Promise<unknown> =>
  new Promise((ok, fail) => session?.post(method, (error, result) => (error ? fail(error) : ok(result))));
session?.connect();
async function startProfile(): Promise<void> {
  if (session === undefined) return;
  await post("Profiler.enable");
  await post("Profiler.start");
}
async function stopProfile(part: string): Promise<void> {
  if (session === undefined) return;
  const { profile } = (await post("Profiler.stop")) as { profile: unknown };
  writeFileSync(`${profileFile}.${part}.cpuprofile`, JSON.stringify(profile));
}

await startProfile();
// W2: every edit in batches of 1,000 (edits 0..2·edits, as W1 + W2 of bench:peers leave the log).
const w2Pages: number[] = [];
for (let from = 0; from < 2 * edits; from += BATCH) {
  const page: Edit[] = [];
  for (let i = from; i < Math.min(from + BATCH, 2 * edits); i++) page.push(editAt(i, codes));
  const t = cpuMs();
  source.commands.batch((c) => page.forEach((e) => apply(c, e)));
  w2Pages.push(cpuMs() - t);
}

await stopProfile("w2");

const pages: string[] = [];
for (let position = 0; ; ) {
  const page = source.read.opsSince(position, BATCH);
  const last = page[page.length - 1];
  if (last === undefined) break;
  pages.push(JSON.stringify(page.map((p) => p.op)));
  position = last.position;
}
const opCount = codes + 2 * edits;
source.close();

const empty = createReplica(join(dir, "catch-up.sqlite"), { actor: "ben", project: source.project });
const identity = { deployment: "file:ingest", project: source.project, stream: "ingest" };
await startProfile();
const w3Pages: number[] = [];
let seq = 0;
for (const page of pages) {
  const t = cpuMs();
  const ops = JSON.parse(page) as ReadonlyArray<unknown>;
  seq += ops.length;
  empty.sync.ingestPage(ops, { identity, seq });
  w3Pages.push(cpuMs() - t);
}
await stopProfile("w3");
if (empty.read.entity("code", ids[0] as string) === undefined) throw new Error("catch-up lost code 0");
empty.close();

const sum = (xs: ReadonlyArray<number>): number => xs.reduce((a, b) => a + b, 0);
const tenth = Math.max(1, Math.floor(w3Pages.length / 10));
console.log(
  JSON.stringify({
    core: corePath,
    ops: opCount,
    w2UsPerEdit: (sum(w2Pages) * 1000) / (2 * edits),
    w3UsPerOp: (sum(w3Pages) * 1000) / opCount,
    // Pages after the first tenth (JIT warm-up), the steadier figure.
    w3MedianPageMs: median(w3Pages.slice(tenth)),
    w2MedianPageMs: median(w2Pages.slice(tenth)),
    w3FirstPageMs: median(w3Pages.slice(0, tenth)),
    w3LastPageMs: median(w3Pages.slice(-tenth)),
    w2FirstPageMs: median(w2Pages.slice(0, tenth)),
    w2LastPageMs: median(w2Pages.slice(-tenth)),
  }),
);
