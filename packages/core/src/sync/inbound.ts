/**
 * Inbound: pull pages after the stored cursor and ingest each one with its
 * cursor in one replica transaction (`ingestPage`).
 *
 * Invariant: the cursor only ever moves to the seq of an op that was
 * ingested, and only over a gapless run (seq = previous + 1). A page with a
 * gap (a remote that answered from a stale or partial view) is cut at the gap
 * and pulled again, so no op is ever skipped. The server's receive time of
 * each op goes in with the page (`op_receipts`). Invalid ops are the replica's
 * business (quarantine); sync goes on.
 */
import * as Duration from "effect/Duration";
import * as Effect from "effect/Effect";
import * as Queue from "effect/Queue";
import type { OpReceipt } from "../op-log/op-receipts.js";
import type { SyncError } from "./errors.js";
import type { RemoteOp } from "./remote-op-store.js";
import { callRemote } from "./retry.js";
import { cursorSeq, onReplica, remoteSucceeded, retrying, type SyncSession } from "./session.js";

/** Wait for wake-ups (head moved, reconnect, syncNow) and catch up each time. */
export function runInbound(session: SyncSession, wake: Queue.Queue<void>): Effect.Effect<never, SyncError> {
  return Queue.take(wake).pipe(Effect.zipRight(Queue.takeAll(wake)), Effect.zipRight(catchUp(session)), Effect.forever);
}

/** The longest prefix of `ops` that continues `after` without a gap. */
export function gaplessRun(ops: ReadonlyArray<RemoteOp>, after: number): { run: ReadonlyArray<RemoteOp>; gap: boolean } {
  // Ops at or below the cursor (a replayed page) are already ingested: skip them.
  const fresh = ops.filter((o) => o.seq > after);
  let expected = after + 1;
  let n = 0;
  while (n < fresh.length && fresh[n]?.seq === expected) {
    n += 1;
    expected += 1;
  }
  return { run: fresh.slice(0, n), gap: n < fresh.length };
}

/** Pull and ingest until the cursor reaches the head the server reported. */
export function catchUp(session: SyncSession): Effect.Effect<void, SyncError> {
  return Effect.gen(function* () {
    const generation = session.requestGeneration();
    let stalls = 0;
    for (;;) {
      const after = yield* onReplica("reading the sync cursor", () => cursorSeq(session.replica));
      const page = yield* pullPage(session, after);
      session.facts.update({ type: "head-seen", head: page.head });
      const { run, gap } = gaplessRun(page.ops, after);
      const last = run[run.length - 1];
      if (last !== undefined) {
        const raws = run.map((o) => o.op);
        const cursor = { identity: session.identity, seq: last.seq };
        yield* onReplica("ingesting a page", () => session.replica.ingestPage(raws, cursor, receiptsOf(run)));
        stalls = 0;
      }
      session.changed();
      const reached = last?.seq ?? after;
      if (!gap && reached >= page.head) break;
      if (last === undefined) {
        // No progress (a gap right after the cursor, or an empty page below the
        // head): pull again, backing off so a confused server is not hammered.
        stalls += 1;
        yield* Effect.sleep(stallDelay(session, stalls));
      }
    }
    session.markCaughtUp(generation);
  });
}

/** The receive times the remote gave, by op id (ops without an id or a time have none). */
export function receiptsOf(run: ReadonlyArray<RemoteOp>): ReadonlyArray<OpReceipt> {
  const receipts: Array<OpReceipt> = [];
  for (const { op, receivedAt } of run) {
    const id = typeof op === "object" && op !== null ? (op as { readonly id?: unknown }).id : undefined;
    if (typeof id === "string" && receivedAt !== undefined) receipts.push({ id, receivedAt });
  }
  return receipts;
}

function pullPage(session: SyncSession, after: number) {
  const pull = callRemote("pull", () => session.remote.pull(after, session.pageSize), session.retry);
  return retrying(session, pull).pipe(Effect.tap(() => Effect.sync(() => remoteSucceeded(session))));
}

function stallDelay(session: SyncSession, stalls: number): Duration.Duration {
  const base = Duration.toMillis(session.retry.baseDelay);
  const max = Duration.toMillis(session.retry.maxDelay);
  return Duration.millis(stalls === 1 ? 0 : Math.min(max, base * 2 ** Math.min(stalls - 2, 20)));
}
