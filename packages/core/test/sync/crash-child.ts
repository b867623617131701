/**
 * Child process of the crash suite: opens (or resumes) a replica file, syncs
 * it against a file-backed remote, and edits at random until it is killed.
 * After every committed command it prints `committed <op id>` (stdout to a
 * pipe is synchronous on Linux, so a printed id was committed before).
 *
 * Usage: tsx crash-child.ts <replica file> <remote file> <replica id> <seed>
 */
import { startSyncEngine } from "../../src/sync/start.js";
import { openOrCreateReplica } from "../../src/testing/open-or-create.js";
import { makePrng } from "../../src/testing/pure/prng.js";
import { makeSqliteRemote } from "../../src/testing/sqlite-remote.js";
import { randomEdit, type Pool } from "./sim.js";

const [replicaPath, remotePath, replicaId, seedText] = process.argv.slice(2);
if (replicaPath === undefined || remotePath === undefined || replicaId === undefined) {
  throw new Error("usage: crash-child.ts <replica file> <remote file> <replica id> <seed>");
}
const random = makePrng(Number(seedText ?? 1));
const probe = makeSqliteRemote(remotePath);
const { project } = await probe.identity();
await probe.close();

// A restarted child reopens the file its killed predecessor made.
const replica = openOrCreateReplica(replicaPath, { actor: `actor-${replicaId}`, replica: replicaId, project });
startSyncEngine({
  replica: replica.sync,
  remote: () => makeSqliteRemote(remotePath, { pollMs: 10 }),
  retry: { baseDelay: "2 millis", maxDelay: "40 millis", requestTimeout: "5 seconds" },
});
process.stdout.write("ready\n");

const pool: Pool = { codes: [], categories: [] };
for (;;) {
  const before = replica.read.lastHlc();
  randomEdit(replica, pool, Math.floor(random() * 1000), Math.floor(random() * 8));
  const after = replica.read.lastHlc();
  if (after !== undefined && after !== before) process.stdout.write(`committed ${after}\n`);
  // Let the engine push and pull between edits (and the kill land anywhere).
  if (random() < 0.5) await new Promise((r) => setTimeout(r, Math.floor(random() * 4)));
}
