/**
 * Push/pull throughput of the op stream: N ops pushed in batches and pulled
 * back in pages of the same size, (1) through the local protocol backend
 * with the real Convex clients (ConvexRemote: HTTP push/pull, socket open),
 * and (2) through convex-test called directly. Both run /convex on
 * convex-test, so the ratio is the cost of the protocol layer (JSON
 * encoding, HTTP, the serial queue, head re-runs for the subscription).
 *
 * Standalone: `tsx packages/convex-backend/bench/push-pull.ts [ops] [batch]`.
 *
 * Cost grows with the square of N: convex-test answers every index lookup
 * by scanning the whole table (about 6 µs per stored doc on the 2-core
 * machine), and each pushed op costs one lookup (idempotency by id). 2,000
 * ops take about 20 s per target; 100,000 would take hours.
 */
import { pathToFileURL } from "node:url";
import { ConvexHttpClient } from "convex/browser";
import type { RemoteOpStore } from "@qc/core/sync";
import { makeConvexRemote } from "../src/convex-remote.js";
import { startLocalBackend } from "../src/local-backend/server.js";
import { qcApi } from "../src/qc-api.js";
import { makeConvexTestRemote, makeQcConvexTest } from "../src/testing/convex-test-remote.js";
import { makeTestOps } from "@qc/core/testing/pure";

export interface PushPullOptions {
  /** Ops pushed and pulled; default 100,000. */
  readonly ops?: number;
  /** Ops per push and per pull page; default 500 (the push limit of /convex). */
  readonly batch?: number;
}

export interface Throughput {
  readonly pushOpsPerSec: number;
  readonly pullOpsPerSec: number;
}

export interface PushPullResult {
  readonly ops: number;
  readonly batch: number;
  readonly localBackend: Throughput;
  readonly convexTest: Throughput;
  /** local backend ÷ convex-test, per direction (1 = no protocol overhead). */
  readonly ratio: Throughput;
}

export async function benchPushPull(options: PushPullOptions = {}): Promise<PushPullResult> {
  const ops = options.ops ?? 100_000;
  const batch = options.batch ?? 500;
  if (ops > 10_000) {
    console.warn(`push/pull bench: ${ops} ops on convex-test is quadratic (table scans per lookup); expect a very long run`);
  }
  const localBackend = await runLocalBackend(ops, batch);
  const convexTest = await runConvexTest(ops, batch);
  const result: PushPullResult = {
    ops,
    batch,
    localBackend,
    convexTest,
    ratio: {
      pushOpsPerSec: localBackend.pushOpsPerSec / convexTest.pushOpsPerSec,
      pullOpsPerSec: localBackend.pullOpsPerSec / convexTest.pullOpsPerSec,
    },
  };
  printResult(result);
  return result;
}

async function runLocalBackend(ops: number, batch: number): Promise<Throughput> {
  const backend = await startLocalBackend();
  try {
    const http = new ConvexHttpClient(backend.url, { logger: false });
    const { token } = await http.mutation(qcApi.projects.create, { project: "bench", name: "Bench", actor: "bench" });
    const remote = makeConvexRemote({ url: backend.url, project: "bench", token, timeoutMs: 120_000 });
    const stop = remote.subscribeHead(
      () => undefined,
      (error) => console.error("head subscription:", error),
    );
    try {
      return await measure(remote, ops, batch);
    } finally {
      stop();
      await remote.close();
    }
  } finally {
    await backend.stop();
  }
}

async function runConvexTest(ops: number, batch: number): Promise<Throughput> {
  const t = await makeQcConvexTest();
  const { token } = await t.mutation(qcApi.projects.create, { project: "bench", name: "Bench", actor: "bench" });
  const remote = makeConvexTestRemote({ t, project: "bench", token });
  try {
    return await measure(remote, ops, batch);
  } finally {
    await remote.close();
  }
}

async function measure(remote: RemoteOpStore, count: number, batch: number): Promise<Throughput> {
  const ops = makeTestOps({ project: "bench", actor: "bench" }, count);
  await remote.pull(0, 1); // loads the ops module: not part of the measurement
  const pushStart = performance.now();
  for (let i = 0; i < ops.length; i += batch) await remote.push(ops.slice(i, i + batch));
  const pushMs = performance.now() - pushStart;
  const pullStart = performance.now();
  let after = 0;
  let pulled = 0;
  for (;;) {
    const page = await remote.pull(after, batch);
    if (page.ops.length === 0) break;
    pulled += page.ops.length;
    after = page.ops.at(-1)?.seq ?? after;
  }
  const pullMs = performance.now() - pullStart;
  if (pulled !== count) throw new Error(`pulled ${pulled} ops, pushed ${count}`);
  return { pushOpsPerSec: (count / pushMs) * 1000, pullOpsPerSec: (count / pullMs) * 1000 };
}

function printResult(r: PushPullResult): void {
  const fmt = (n: number) => Math.round(n).toLocaleString("en-US").padStart(10);
  console.log(`push/pull of ${r.ops.toLocaleString("en-US")} ops, batch and page size ${r.batch}`);
  console.log(
    `  local protocol backend (ConvexRemote): push ${fmt(r.localBackend.pushOpsPerSec)} ops/s   pull ${fmt(r.localBackend.pullOpsPerSec)} ops/s`,
  );
  console.log(
    `  convex-test direct:                    push ${fmt(r.convexTest.pushOpsPerSec)} ops/s   pull ${fmt(r.convexTest.pullOpsPerSec)} ops/s`,
  );
  console.log(
    `  ratio (protocol / direct):             push ${r.ratio.pushOpsPerSec.toFixed(2).padStart(10)}         pull ${r.ratio.pullOpsPerSec.toFixed(2).padStart(10)}`,
  );
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [ops, batch] = process.argv.slice(2).map(Number);
  await benchPushPull({ ...(ops ? { ops } : {}), ...(batch ? { batch } : {}) });
}
