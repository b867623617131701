/**
 * `pnpm bench:peers` child for qc, through its public API: commands (one
 * commit per command, `commands.batch` for W2), a plain loop of JSON.parse +
 * `sync.ingestPage` over the pages of ops read from a file for W3 (what a
 * catch-up does with the pages a remote sends, without the engine), openReplica
 * + read.entity for W4. The replica runs at its default, synchronous=NORMAL.
 *
 *   qc.ts <codes> <edits> <dir>
 */
import { join } from "node:path";
import { createReplica, openReplica, type Commands, type Op, type Replica } from "@qc/core";
import {
  BATCH,
  bytesOf,
  codeName,
  parsePeerArgs,
  printResult,
  readPages,
  timeBatches,
  timeEachEdit,
  timeMsAsync,
  writePages,
  type Edit,
} from "./workload.js";

const args = parsePeerArgs(process.argv.slice(2));
const file = join(args.dir, "qc.sqlite");
const replica = createReplica(file, { actor: "ana", projectName: "Peers" });
const project = replica.project;
const ids: string[] = [];
for (let from = 0; from < args.codes; from += BATCH)
  replica.commands.batch((c) => {
    for (let i = from; i < Math.min(from + BATCH, args.codes); i++) ids.push(c.createCode({ name: codeName(i), color: "#336699" }));
  });
const apply = (c: Commands, e: Edit): void =>
  e.field === "name" ? c.rename("code", ids[e.code] as string, e.value) : c.recolour("code", ids[e.code] as string, e.value);

const w1 = await timeEachEdit(args, (e) => apply(replica.commands, e));
const w2EditsPerSec = await timeBatches(args, (edits) => replica.commands.batch((c) => edits.forEach((e) => apply(c, e))));

// The others' changes as a remote sends them: every op of this replica, in
// pages of JSON, pre-pulled to a file (workload.ts, writePages).
let changes = 0;
const pages = writePages(join(args.dir, "pages.jsonl"), pagesOf(replica));
replica.close();
const diskBytes = bytesOf(args.dir, "qc.sqlite");

// W3: a plain parse + ingestPage loop (no engine): the ingest work of a catch-up.
const identity = { deployment: "file:peers", project, stream: "peers" };
const empty = createReplica(join(args.dir, "catch-up.sqlite"), { actor: "ben", project });
const w3Ms = await timeMsAsync(() => {
  let seq = 0;
  for (const page of readPages(pages)) {
    const ops = JSON.parse(page) as ReadonlyArray<unknown>;
    seq += ops.length;
    empty.sync.ingestPage(ops, { identity, seq });
  }
});
if (empty.read.entity("code", ids[0] as string) === undefined) throw new Error("catch-up lost code 0");
empty.close();

const w4Ms = await timeMsAsync(() => {
  const reopened = openReplica(file, { actor: "ana" });
  if (reopened.read.entity("code", ids[0] as string) === undefined) throw new Error("reopened replica lost code 0");
  reopened.close();
});

function* pagesOf(source: Replica): Generator<string> {
  for (let position = 0; ;) {
    const page = source.read.opsSince(position, BATCH);
    const last = page[page.length - 1];
    if (last === undefined) return;
    yield JSON.stringify(page.map((p): Op => p.op));
    changes += page.length;
    position = last.position;
  }
}

printResult({ ...w1, w2EditsPerSec, w3ChangesPerSec: (changes / w3Ms) * 1000, w4Ms, diskBytes, changes });
