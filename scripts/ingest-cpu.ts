/**
 * CPU time per op of W3 (an empty replica catching up: `sync.ingestPage` of
 * pages of 1,000 ops) and W2 (`commands.batch` of 1,000 edits), the
 * bench:peers workload (workload.ts) through the public API, for one or
 * more versions of the core in ONE process, page by page in turn: each
 * version's replica takes the same page, each page starting with the next
 * version, so a change in the machine's load (shared, 2 cores) falls on
 * every version alike. CPU time is process.cpuUsage (user + system) around
 * each page. With a profile prefix, an inspector CPU profile of each part
 * (of the first version only).
 *
 *   tsx scripts/ingest-cpu.ts <codes> <edits> <dir> [core-index.ts,...] [profile-prefix]
 *
 * Prints one JSON line per version: W2 and W3 µs of CPU per op (all pages),
 * the median page CPU ms after the first tenth (JIT warm-up), and the median
 * page CPU ms of the first and last tenth of the pages after warm-up (flat cost).
 */
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type * as Core from "@qc/core";
import { BATCH, codeName, editAt, type Edit } from "./bench-peers/workload.js";

const [codesArg, editsArg, dir, coresArg, profileFile] = process.argv.slice(2);
if (dir === undefined) throw new Error("usage: ingest-cpu.ts <codes> <edits> <dir> [core-index.ts,...] [profile-prefix]");
const codes = Number(codesArg);
const edits = Number(editsArg);
const corePaths = (coresArg || join(import.meta.dirname, "../packages/core/src/index.ts")).split(",").map((p) => resolve(p));
const cores = await Promise.all(corePaths.map(async (p) => (await import(pathToFileURL(p).href)) as typeof Core));

const cpuMs = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const median = (xs: ReadonlyArray<number>): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};
const sum = (xs: ReadonlyArray<number>): number => xs.reduce((a, b) => a + b, 0);

/** `fn` on each version, starting with a different one each page: no version always runs first. */
function inTurn<T>(items: ReadonlyArray<T>, page: number, fn: (item: T, v: number) => void): void {
  for (let k = 0; k < items.length; k++) {
    const v = (k + page) % items.length;
    fn(items[v] as T, v);
  }
}

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
const profiled = profileFile === undefined ? cores : cores.slice(0, 1);

// One source replica per version, the same codes and the same edits.
const sources = profiled.map((core, v) => {
  const replica = core.createReplica(join(dir, `source-${v}.sqlite`), { actor: "ana", projectName: "Ingest" });
  const ids: string[] = [];
  for (let from = 0; from < codes; from += BATCH)
    replica.commands.batch((c) => {
      for (let i = from; i < Math.min(from + BATCH, codes); i++) ids.push(c.createCode({ name: codeName(i), color: "#336699" }));
    });
  return { replica, ids };
});
// W2: every edit in batches of 1,000 (edits 0..2·edits, as W1 + W2 of bench:peers leave the log).
const w2Pages = profiled.map((): number[] => []);
await startProfile();
for (let from = 0; from < 2 * edits; from += BATCH) {
  const page: Edit[] = [];
  for (let i = from; i < Math.min(from + BATCH, 2 * edits); i++) page.push(editAt(i, codes));
  inTurn(sources, from / BATCH, ({ replica, ids }, v) => {
    const apply = (c: Core.Commands, e: Edit): void =>
      e.field === "name" ? c.rename("code", ids[e.code] as string, e.value) : c.recolour("code", ids[e.code] as string, e.value);
    const t = cpuMs();
    replica.commands.batch((c) => page.forEach((e) => apply(c, e)));
    w2Pages[v]?.push(cpuMs() - t);
  });
}
await stopProfile("w2");

// The pages a remote would send: the first version's log.
const first = sources[0] as (typeof sources)[number];
const pages: string[] = [];
for (let position = 0; ;) {
  const page = first.replica.read.opsSince(position, BATCH);
  const last = page[page.length - 1];
  if (last === undefined) break;
  pages.push(JSON.stringify(page.map((p) => p.op)));
  position = last.position;
}
const project = first.replica.project;
const opCount = pages.reduce((n, p) => n + (JSON.parse(p) as unknown[]).length, 0);
for (const { replica } of sources) replica.close();

const identity = { deployment: "file:ingest", project, stream: "ingest" };
const empties = profiled.map((core, v) => core.createReplica(join(dir, `catch-up-${v}.sqlite`), { actor: "ben", project }));
const w3Pages = profiled.map((): number[] => []);
await startProfile();
let seq = 0;
for (const [n, page] of pages.entries()) {
  let length = 0;
  inTurn(empties, n, (empty, v) => {
    const t = cpuMs();
    const ops = JSON.parse(page) as ReadonlyArray<unknown>;
    empty.sync.ingestPage(ops, { identity, seq: seq + ops.length });
    w3Pages[v]?.push(cpuMs() - t);
    length = ops.length;
  });
  seq += length;
}
await stopProfile("w3");
for (const empty of empties) {
  if (empty.read.entity("code", first.ids[0] as string) === undefined) throw new Error("catch-up lost code 0");
  empty.close();
}

profiled.forEach((_, v) => {
  const w2 = w2Pages[v] as number[];
  const w3 = w3Pages[v] as number[];
  const warm = (xs: number[]): number[] => xs.slice(Math.max(1, Math.floor(xs.length / 10)));
  const tenth = (xs: number[]): number => Math.max(1, Math.floor(warm(xs).length / 10));
  console.log(
    JSON.stringify({
      core: corePaths[v],
      ops: opCount,
      w2UsPerEdit: (sum(w2) * 1000) / (2 * edits),
      w3UsPerOp: (sum(w3) * 1000) / opCount,
      w2MedianPageMs: median(warm(w2)),
      w3MedianPageMs: median(warm(w3)),
      w2FirstPagesMs: median(warm(w2).slice(0, tenth(w2))),
      w2LastPagesMs: median(warm(w2).slice(-tenth(w2))),
      w3FirstPagesMs: median(warm(w3).slice(0, tenth(w3))),
      w3LastPagesMs: median(warm(w3).slice(-tenth(w3))),
    }),
  );
});
