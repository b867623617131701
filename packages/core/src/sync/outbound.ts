/**
 * Outbound: push the replica's outbox (local ops without an ack) in HLC
 * order, in batches within the remote's limits, and record the acks.
 *
 * The outbox is the op log itself, so nothing is queued in memory that a
 * crash could lose. A push is idempotent by op id, so any failure (lost
 * request, lost response, timeout) is simply retried: at worst the server
 * acks ops it already holds.
 *
 * A push the server refuses for good (see `isPushRefusal`) stops pushing for
 * the rest of the session but not the session: inbound goes on, and the
 * refusal is shown as the status until a new session tries again.
 */
import * as Effect from "effect/Effect";
import * as Queue from "effect/Queue";
import type { Op } from "../op/op.js";
import { syncError, type SyncError, type SyncErrorReason } from "./errors.js";
import { callRemote } from "./retry.js";
import { cursorSeq, onReplica, remoteSucceeded, retrying, type BatchLimits, type SyncSession } from "./session.js";
import type { SyncableReplica } from "./syncable-replica.js";

/**
 * Wait for wake-ups and push the whole backlog each time; fails only on a
 * fatal error. After a push refusal it records it and pushes no more.
 */
export function runOutbound(session: SyncSession, wake: Queue.Queue<void>): Effect.Effect<never, SyncError> {
  return Queue.take(wake).pipe(
    Effect.zipRight(Queue.takeAll(wake)),
    Effect.zipRight(pushBacklog(session)),
    Effect.forever,
    Effect.catchIf(isPushRefusal, (error) => stopPushing(session, error)),
  );
}

/** Refusals of the pushed ops themselves: the stream can still be read. */
const pushRefusals: ReadonlySet<SyncErrorReason> = new Set(["forbidden", "invalid-op", "id-reused", "clock-ahead", "replica-claimed"]);

/**
 * The server refused the pushed ops for good (the researcher's role, an op's
 * content or id, the clock, a replica id of another member): only pushing
 * stops. A refused token or another stream are not push refusals: they stop
 * the session.
 */
export function isPushRefusal(error: SyncError): boolean {
  return !error.retryable && pushRefusals.has(error.reason);
}

function stopPushing(session: SyncSession, error: SyncError): Effect.Effect<never> {
  return Effect.sync(() => {
    session.facts.update({ type: "push-refused", error });
    session.changed();
  }).pipe(Effect.zipRight(Effect.never));
}

/** Push until the outbox is empty. */
export function pushBacklog(session: SyncSession): Effect.Effect<void, SyncError> {
  return Effect.gen(function* () {
    for (;;) {
      const batch = yield* onReplica("reading the outbox", () => takeBatch(session.replica, session.batch));
      if (batch.length === 0) return;
      yield* pushBatch(session, batch);
    }
  });
}

/**
 * The oldest outbox ops that fit one push: at most `maxOps`, and at most
 * `maxBytes` of JSON (always at least one op: a single op is ≤ 256 KiB body).
 */
export function takeBatch(replica: SyncableReplica, limits: BatchLimits): ReadonlyArray<Op> {
  const candidates = replica.outbox(limits.maxOps);
  const batch: Array<Op> = [];
  let bytes = 0;
  for (const op of candidates) {
    const size = Buffer.byteLength(JSON.stringify(op), "utf8");
    if (batch.length > 0 && bytes + size > limits.maxBytes) break;
    batch.push(op);
    bytes += size;
  }
  return batch;
}

function pushBatch(session: SyncSession, batch: ReadonlyArray<Op>): Effect.Effect<void, SyncError> {
  const push = callRemote("push", () => session.remote.push(batch), session.retry, batch);
  return retrying(session, push).pipe(
    Effect.flatMap((result) =>
      Effect.gen(function* () {
        remoteSucceeded(session);
        const acked = new Set(result.acked);
        const missing = batch.filter((op) => !acked.has(op.id));
        yield* onReplica("recording acks", () => session.replica.markAcked(result.acked));
        if (missing.length > 0) {
          // A whole batch is stored or nothing is: a partial ack breaks the contract.
          return yield* Effect.fail(
            syncError("protocol", `push of ${batch.length} ops acknowledged only ${batch.length - missing.length}`),
          );
        }
        session.facts.update({ type: "head-seen", head: result.head });
        if (result.head > cursorSeq(session.replica)) session.wakeInbound();
        session.changed();
      }),
    ),
  );
}
