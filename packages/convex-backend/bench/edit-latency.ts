/**
 * Edit-to-visible latency: a researcher renames a code on replica A; how
 * long until replica B's materialised state shows the new name? Two
 * replicas (real SQLite files) with their own sync engines, measured
 * (1) through the local Convex-protocol backend with the real clients
 * (ConvexRemote: HTTP push and pull, head subscription on the ConvexClient
 * socket) and (2) through core's in-memory remote — the baseline, same run.
 *
 * One edit at a time: the clock starts before the command on A and stops
 * when B's entity has the new name, seen either by B's engine status
 * notification (B published a status after ingesting) or by a 1 ms poll of
 * B's entity, whichever comes first. Unmeasured warm-up edits (a tenth of
 * `edits`, at most 20) run first on each target (module loading, JIT).
 *
 * Everything (backend, both clients, both engines) shares one Node process,
 * as in the e2e suite: the figures include the backend's own work.
 *
 * Standalone: `npx tsx packages/convex-backend/bench/edit-latency.ts [edits]`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { ConvexHttpClient } from "convex/browser";
import { createReplica, type Replica } from "@qc/core";
import { startSyncEngine, type RemoteOpStore, type SyncEngineHandle } from "@qc/core/sync";
import { makeMemoryRemote } from "@qc/core/testing";
import { makeConvexRemote } from "../src/convex-remote.js";
import { startLocalBackend } from "../src/local-backend/server.js";
import { qcApi } from "../src/qc-api.js";

export interface EditLatencyOptions {
  /** Measured edits per target; default 1,000. */
  readonly edits?: number;
}

export interface LatencyStats {
  readonly edits: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly meanMs: number;
  readonly maxMs: number;
  /** How many edits were first seen through B's status notification (the rest by the poll). */
  readonly seenByNotification: number;
}

export interface EditLatencyResult {
  /** Unmeasured edits run first on each target. */
  readonly warmUpEdits: number;
  readonly convex: LatencyStats;
  readonly memory: LatencyStats;
  /** Local Convex backend ÷ in-memory remote (1 = no cost over the baseline). */
  readonly ratio: { readonly p50: number; readonly p99: number };
}

const SETUP_TIMEOUT_MS = 60_000;
const EDIT_TIMEOUT_MS = 30_000;

export async function benchEditLatency(opts: EditLatencyOptions = {}): Promise<EditLatencyResult> {
  const edits = opts.edits ?? 1_000;
  const warmUpEdits = Math.min(20, Math.ceil(edits / 10));
  const convex = await runConvex(edits, warmUpEdits);
  const memory = await runMemory(edits, warmUpEdits);
  const result: EditLatencyResult = {
    warmUpEdits,
    convex,
    memory,
    ratio: { p50: convex.p50Ms / memory.p50Ms, p99: convex.p99Ms / memory.p99Ms },
  };
  printResult(result);
  return result;
}

/** A pair of replicas in sync through some remote; `close` releases everything. */
interface Pair {
  readonly a: Replica;
  readonly b: Replica;
  readonly engines: ReadonlyArray<SyncEngineHandle>;
}

async function runConvex(edits: number, warmUp: number): Promise<LatencyStats> {
  const backend = await startLocalBackend({ host: "127.0.0.1", port: 0 });
  const dir = mkdtempSync(join(tmpdir(), "qc-bench-latency-"));
  try {
    const http = new ConvexHttpClient(backend.url, { logger: false });
    const a = createReplica(join(dir, "a.sqlite"), { actor: "ann", replica: "a".repeat(16), projectName: "Bench" });
    const owner = await http.mutation(qcApi.projects.create, { project: a.project, name: "Bench", actor: "ann" });
    const bob = await http.mutation(qcApi.members.invite, { token: owner.token, project: a.project, actor: "bob", role: "editor" });
    const b = createReplica(join(dir, "b.sqlite"), { actor: "bob", replica: "b".repeat(16), project: a.project });
    const remote = (token: string) => (): RemoteOpStore => makeConvexRemote({ url: backend.url, project: a.project, token });
    return await measurePair({ a, b, engines: [engine(a, remote(owner.token)), engine(b, remote(bob.token))] }, edits, warmUp);
  } finally {
    await backend.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runMemory(edits: number, warmUp: number): Promise<LatencyStats> {
  const dir = mkdtempSync(join(tmpdir(), "qc-bench-latency-"));
  try {
    const a = createReplica(join(dir, "a.sqlite"), { actor: "ann", replica: "a".repeat(16), projectName: "Bench" });
    const b = createReplica(join(dir, "b.sqlite"), { actor: "bob", replica: "b".repeat(16), project: a.project });
    const server = makeMemoryRemote({ project: a.project, name: "bench" });
    return await measurePair({ a, b, engines: [engine(a, () => server.connect()), engine(b, () => server.connect())] }, edits, warmUp);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function engine(replica: Replica, remote: () => RemoteOpStore): SyncEngineHandle {
  return startSyncEngine({ replica: replica.sync, project: replica.project, remote });
}

/** Warm up (`warmUp` unmeasured edits), then time `edits` renames on A until B shows each; closes the pair. */
async function measurePair(pair: Pair, edits: number, warmUp: number): Promise<LatencyStats> {
  const { a, b, engines } = pair;
  try {
    const code = a.commands.createCode({ name: "Latency", color: "#aa0000" });
    await visibleOn(b, engines[1], code, "Latency", SETUP_TIMEOUT_MS);
    for (let i = 0; i < warmUp; i++) await timedEdit(pair, code, `warm-up ${i}`);
    const samples: Array<{ ms: number; byNotification: boolean }> = [];
    for (let i = 0; i < edits; i++) samples.push(await timedEdit(pair, code, `edit ${i}`));
    return summarise(samples);
  } finally {
    await Promise.all(engines.map((e) => e.stop()));
    a.close();
    b.close();
  }
}

async function timedEdit(pair: Pair, code: string, name: string): Promise<{ ms: number; byNotification: boolean }> {
  const start = performance.now();
  pair.a.commands.rename("code", code, name);
  const byNotification = await visibleOn(pair.b, pair.engines[1], code, name, EDIT_TIMEOUT_MS);
  return { ms: performance.now() - start, byNotification };
}

/**
 * Resolves once B's code has `name`: checked on every status B's engine
 * publishes and every millisecond; true if the notification saw it first.
 */
function visibleOn(b: Replica, bEngine: SyncEngineHandle | undefined, code: string, name: string, timeoutMs: number): Promise<boolean> {
  const shows = () => b.read.entity("code", code)?.fields["name"] === name;
  if (shows()) return Promise.resolve(false);
  return new Promise((resolve, reject) => {
    let done = false;
    let unsubscribe: (() => void) | undefined;
    const poll = setInterval(() => check(false), 1);
    const timer = setTimeout(() => finish(() => reject(new Error(`edit "${name}" not visible on B after ${timeoutMs} ms`))), timeoutMs);
    function finish(settle: () => void): void {
      if (done) return;
      done = true;
      clearInterval(poll);
      clearTimeout(timer);
      queueMicrotask(() => unsubscribe?.());
      settle();
    }
    function check(byNotification: boolean): void {
      if (!done && shows()) finish(() => resolve(byNotification));
    }
    unsubscribe = bEngine?.subscribe(() => check(true));
  });
}

function summarise(samples: ReadonlyArray<{ ms: number; byNotification: boolean }>): LatencyStats {
  const sorted = samples.map((s) => s.ms).sort((x, y) => x - y);
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? Number.NaN;
  return {
    edits: samples.length,
    p50Ms: rank(0.5),
    p99Ms: rank(0.99),
    meanMs: sorted.reduce((sum, ms) => sum + ms, 0) / Math.max(1, sorted.length),
    maxMs: sorted.at(-1) ?? Number.NaN,
    seenByNotification: samples.filter((s) => s.byNotification).length,
  };
}

function printResult(r: EditLatencyResult): void {
  const ms = (n: number) => `${n.toFixed(2).padStart(8)} ms`;
  const line = (label: string, s: LatencyStats) =>
    `  ${label} p50 ${ms(s.p50Ms)}   p99 ${ms(s.p99Ms)}   mean ${ms(s.meanMs)}   max ${ms(s.maxMs)}   (${s.seenByNotification}/${s.edits} seen by B's status notification)`;
  console.log(
    `edit-to-visible latency, A renames a code until B's state shows it; ${r.convex.edits} edits per target after ${r.warmUpEdits} warm-up`,
  );
  console.log(line("local Convex backend (real clients):", r.convex));
  console.log(line("in-memory remote (baseline):        ", r.memory));
  console.log(
    `  ratio (Convex backend / in-memory):  p50 ${r.ratio.p50.toFixed(1).padStart(8)} x    p99 ${r.ratio.p99.toFixed(1).padStart(8)} x`,
  );
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const edits = Number(process.argv[2]);
  await benchEditLatency(Number.isInteger(edits) && edits > 0 ? { edits } : {});
}
