/**
 * Publishes the engine's status: one fiber recomputes it from the facts and
 * the replica's counts whenever something signals a change (signals are
 * coalesced), so callbacks from the remote or the replica never run Effects
 * themselves, and the SQLite counts are read at most once per burst.
 */
import * as Effect from "effect/Effect";
import * as Queue from "effect/Queue";
import * as SubscriptionRef from "effect/SubscriptionRef";
import type * as Scope from "effect/Scope";
import type * as Stream from "effect/Stream";
import { cursorSeq } from "./session.js";
import type { FactsRef } from "./facts.js";
import { deriveStatus, sameStatus, type SyncStatus } from "./status.js";
import type { SyncableReplica } from "./syncable-replica.js";

export interface StatusPublisher {
  /** The current status and every change after it. */
  readonly status: Stream.Stream<SyncStatus>;
  readonly current: Effect.Effect<SyncStatus>;
  /** Something changed: recompute (cheap, callable from any callback). */
  readonly changed: () => void;
  /** A counter bumped after every recompute, changed or not: what syncNow waits on. */
  readonly ticks: Stream.Stream<number>;
}

export function makeStatusPublisher(
  facts: FactsRef,
  replica: SyncableReplica,
  now: () => Date,
): Effect.Effect<StatusPublisher, never, Scope.Scope> {
  return Effect.gen(function* () {
    // Until the first recompute: never show "disabled" for an enabled engine.
    const statusRef = yield* SubscriptionRef.make<SyncStatus>(facts.get().enabled ? { state: "connecting" } : { state: "disabled" });
    const ticks = yield* SubscriptionRef.make(0);
    const signal = yield* Queue.sliding<void>(1);
    const recompute = Effect.gen(function* () {
      const previous = yield* SubscriptionRef.get(statusRef);
      // A replica that cannot be read (closing) keeps the last status.
      const local = yield* Effect.try(() => ({ toPush: replica.outboxSize(), cursor: cursorSeq(replica) })).pipe(
        Effect.orElseSucceed(() => undefined),
      );
      if (local !== undefined) {
        const next = deriveStatus(facts.get(), local, previous, now);
        if (!sameStatus(previous, next)) yield* SubscriptionRef.set(statusRef, next);
      }
      yield* SubscriptionRef.update(ticks, (n) => n + 1);
    });
    yield* Queue.take(signal).pipe(Effect.zipRight(recompute), Effect.forever, Effect.forkScoped);
    return {
      status: statusRef.changes,
      current: SubscriptionRef.get(statusRef),
      changed: () => void signal.unsafeOffer(undefined),
      ticks: ticks.changes,
    };
  });
}
