/**
 * Benchmark: catching up after being offline.
 *
 * Another replica pushed N ops (default 100,000; codes created and renamed,
 * built with the op builder so that setup stays fast) to an in-memory remote
 * while this replica was offline. Measures the time from starting the engine
 * to `syncNow()` resolving (pull + ingest + cursor, page by page), against
 * pulling the same pages with no ingest at all (`ratio`: the cost of ingest
 * plus engine over the transport), and against a plain loop that pulls and
 * calls `ingestPage` itself on a fresh replica (`engineOverhead`: what the
 * engine's fibers, status and checks add to the ingest work).
 *
 * Standalone: `tsx packages/core/bench/sync-catch-up.ts [ops]`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { makeOpBuilder } from "../src/testing/pure/op-builder.js";
import type { Op } from "../src/op/op.js";
import { createReplica } from "../src/replica.js";
import { startSyncEngine } from "../src/sync/start.js";
import type { PullPage, RemoteIdentity } from "../src/sync/remote-op-store.js";
import type { SyncableReplica } from "../src/sync/syncable-replica.js";
import { makeMemoryRemote, type MemoryRemote } from "../src/testing/memory-remote.js";

export interface CatchUpResult {
  readonly ops: number;
  readonly pageSize: number;
  /** Engine start → syncNow() resolved: pull, ingest, cursor. */
  readonly catchUpMs: number;
  /** The same pages pulled from the same remote, nothing ingested. */
  readonly pullOnlyMs: number;
  /** catchUpMs / pullOnlyMs. */
  readonly ratio: number;
  /** The same pages pulled and ingested by a plain loop, no engine. */
  readonly directIngestMs: number;
  /** catchUpMs / directIngestMs. */
  readonly engineOverhead: number;
  readonly opsPerSecond: number;
  /** Mean ingest time of the first and of the last ten pages of the plain loop: flat when ingest cost does not grow with the replica. */
  readonly firstPagesMs: number;
  readonly lastPagesMs: number;
}

export async function benchCatchUp(options: { readonly ops?: number; readonly pageSize?: number } = {}): Promise<CatchUpResult> {
  const n = options.ops ?? 100_000;
  const pageSize = options.pageSize ?? 500;
  const dir = mkdtempSync(join(tmpdir(), "qc-bench-catch-up-"));
  try {
    const founder = createReplica(join(dir, "founder.sqlite"), { actor: "actor-0", replica: "1111111111111111" });
    const project = founder.project;
    const remote = makeMemoryRemote({ project, name: "bench" });
    await seedRemote(remote, founder.sync.outbox(10), project, n);
    founder.close();

    const pullOnlyMs = await timePullOnly(remote, pageSize);
    const direct = createReplica(join(dir, "direct.sqlite"), { actor: "actor-4", replica: "4444444444444444", project });
    const pageMs: Array<number> = [];
    const directIngestMs = await timeDirectIngest(remote, direct.sync, pageSize, pageMs);
    direct.close();

    const replica = createReplica(join(dir, "offline.sqlite"), { actor: "actor-2", replica: "2222222222222222", project });
    const started = performance.now();
    const engine = startSyncEngine({ replica: replica.sync, remote: () => remote.connect(), pageSize });
    await engine.syncNow();
    const catchUpMs = performance.now() - started;
    await engine.stop();
    if (replica.sync.syncCursor()?.seq !== remote.head()) throw new Error("catch-up did not reach the head");
    replica.close();
    return {
      ops: n,
      pageSize,
      catchUpMs,
      pullOnlyMs,
      ratio: catchUpMs / pullOnlyMs,
      directIngestMs,
      engineOverhead: catchUpMs / directIngestMs,
      opsPerSecond: (n / catchUpMs) * 1000,
      firstPagesMs: mean(pageMs.slice(0, 10)),
      lastPagesMs: mean(pageMs.slice(-10)),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The founder's own first ops, then `n` ops of another replica: creates, then renames of them. */
async function seedRemote(remote: MemoryRemote, founderOps: ReadonlyArray<Op>, project: string, n: number): Promise<void> {
  const client = remote.connect();
  await client.push(founderOps);
  const build = makeOpBuilder({ project, replica: "3333333333333333", actor: "actor-3", now: () => Date.now() - 60_000 });
  const codes: Array<string> = [];
  let batch: Array<Op> = [];
  for (let i = 0; i < n; i += 1) {
    if (i % 3 === 2 && codes.length > 0) {
      const id = codes[(i * 7919) % codes.length]!;
      batch.push(build({ kind: "set", target: { type: "code", id }, body: { field: "name", value: `code ${i}` } }));
    } else {
      const id = `01a21200-0000-7000-8000-${i.toString(16).padStart(12, "0")}`;
      codes.push(id);
      batch.push(build({ kind: "create", target: { type: "code", id }, body: { fields: { name: `code ${i}`, color: "#3a7bd5" } } }));
    }
    if (batch.length === 500) {
      await client.push(batch);
      batch = [];
    }
  }
  if (batch.length > 0) await client.push(batch);
  await client.close();
}

function timePullOnly(remote: MemoryRemote, pageSize: number): Promise<number> {
  return timePages(remote, pageSize, () => {});
}

/** A plain pull + ingestPage loop into `replica` (no engine): the ingest work of a catch-up. */
function timeDirectIngest(remote: MemoryRemote, replica: SyncableReplica, pageSize: number, pageMs: Array<number>): Promise<number> {
  return timePages(remote, pageSize, (page, identity) => {
    const started = performance.now();
    replica.ingestPage(
      page.ops.map((o) => o.op),
      { identity, seq: page.ops[page.ops.length - 1]!.seq },
    );
    pageMs.push(performance.now() - started);
  });
}

function mean(values: ReadonlyArray<number>): number {
  return values.reduce((sum, v) => sum + v, 0) / Math.max(1, values.length);
}

/** Time to pull every page after 0 from a fresh client, calling `onPage` on each non-empty one. */
async function timePages(
  remote: MemoryRemote,
  pageSize: number,
  onPage: (page: PullPage, identity: RemoteIdentity) => void,
): Promise<number> {
  const client = remote.connect();
  const identity = await client.identity();
  const started = performance.now();
  let after = 0;
  for (;;) {
    const page = await client.pull(after, pageSize);
    const last = page.ops[page.ops.length - 1];
    if (last === undefined) break;
    onPage(page, identity);
    after = last.seq;
  }
  const ms = performance.now() - started;
  await client.close();
  return ms;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const ops = Number(process.argv[2] ?? 5_000);
  const r = await benchCatchUp({ ops });
  console.log(
    `catch-up of ${r.ops} ops (pages of ${r.pageSize}): ${r.catchUpMs.toFixed(0)} ms (${r.opsPerSecond.toFixed(0)} ops/s); ` +
      `pull only: ${r.pullOnlyMs.toFixed(1)} ms (ratio ${r.ratio.toFixed(1)}); ` +
      `plain pull+ingestPage loop: ${r.directIngestMs.toFixed(0)} ms (engine overhead ×${r.engineOverhead.toFixed(2)}); ` +
      `page ingest: first 10 pages ${r.firstPagesMs.toFixed(1)} ms, last 10 pages ${r.lastPagesMs.toFixed(1)} ms`,
  );
}
