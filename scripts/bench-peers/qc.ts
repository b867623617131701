/**
 * `pnpm bench:peers` child for qc, through its public API: commands (one
 * commit per command, `commands.batch` for W2), a plain pull + ingestPage
 * loop from the in-memory remote for W3 (sync-catch-up.ts), openReplica +
 * read.entity for W4. The replica runs at its default, synchronous=NORMAL.
 *
 *   qc.ts <codes> <edits> <dir>
 */
import { join } from "node:path";
import { createReplica, openReplica, type Commands, type Op } from "@qc/core";
import { makeMemoryRemote } from "@qc/core/testing";
import { timeDirectIngest } from "../../packages/core/bench/sync-catch-up.js";
import { BATCH, bytesOf, codeName, parsePeerArgs, printResult, timeBatches, timeEachEdit, timeMsAsync, type Edit } from "./workload.js";

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

// The others' changes as a remote holds them: every op of this replica.
const remote = makeMemoryRemote({ project, name: "peers" });
const client = remote.connect();
let changes = 0;
for (let position = 0; ;) {
  const page = replica.read.opsSince(position, BATCH);
  const last = page[page.length - 1];
  if (last === undefined) break;
  await client.push(page.map((p): Op => p.op));
  changes += page.length;
  position = last.position;
}
await client.close();
replica.close();
const diskBytes = bytesOf(args.dir, "qc.sqlite");

const empty = createReplica(join(args.dir, "catch-up.sqlite"), { actor: "ben", project });
const w3Ms = await timeDirectIngest(remote, empty.sync, BATCH, []);
empty.close();

const w4Ms = await timeMsAsync(() => {
  const reopened = openReplica(file, { actor: "ana" });
  if (reopened.read.entity("code", ids[0] as string) === undefined) throw new Error("reopened replica lost code 0");
  reopened.close();
});

printResult({ ...w1, w2EditsPerSec, w3ChangesPerSec: (changes / w3Ms) * 1000, w4Ms, diskBytes, changes });
