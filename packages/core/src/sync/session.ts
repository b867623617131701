/**
 * What one sync session shares between its fibers: one remote connection,
 * checked against the replica's stream, plus the engine's facts and signals.
 *
 * A session lives from `enable` (or a reconnect of the factory) until
 * `disable` / `configure` / `switchStream` / a fatal error; it is a scope, so
 * every subscription and the remote itself are released when it ends.
 */
import * as Effect from "effect/Effect";
import { syncError, type SyncError } from "./errors.js";
import type { RemoteIdentity, RemoteOpStore } from "./remote-op-store.js";
import { retryTransient, type RetryOptions } from "./retry.js";
import type { FactsRef } from "./facts.js";
import type { SyncableReplica } from "./syncable-replica.js";

export interface BatchLimits {
  /** Ops per push (Convex: a few hundred per mutation). */
  readonly maxOps: number;
  /** Canonical JSON bytes per push (Convex: 16 MiB written per function). */
  readonly maxBytes: number;
}

export const defaultBatchLimits: BatchLimits = { maxOps: 500, maxBytes: 4 * 1024 * 1024 };
export const defaultPageSize = 500;

export interface SyncSession {
  readonly replica: SyncableReplica;
  readonly remote: RemoteOpStore;
  /** The identity ingested pages are stamped with (the stored one if it matches). */
  readonly identity: RemoteIdentity;
  readonly facts: FactsRef;
  readonly batch: BatchLimits;
  readonly pageSize: number;
  readonly retry: RetryOptions;
  /** Something changed: recompute the status. */
  readonly changed: () => void;
  /** Ask the inbound fiber to pull (head moved or someone asked). */
  readonly wakeInbound: () => void;
  /** Pulls completed up to the head count requests up to this generation. */
  readonly requestGeneration: () => number;
  readonly markCaughtUp: (generation: number) => void;
  /** Completes at the next reconnect or syncNow: cuts a retry backoff short. */
  readonly kicked: Effect.Effect<void>;
}

/** A remote call succeeded: whatever transient failure was shown is over. */
export function remoteSucceeded(session: SyncSession): void {
  if (session.facts.update({ type: "remote-succeeded" })) session.changed();
}

/** Retry a remote call of this session (backoff cut short by a kick). */
export function retrying<A>(session: SyncSession, effect: Effect.Effect<A, SyncError>): Effect.Effect<A, SyncError> {
  return retryTransient(effect, session.retry, (e) => remoteFailed(session, e), session.kicked);
}

/** Record a transient failure (shown as `offline` when unreachable). */
export function remoteFailed(session: SyncSession, error: SyncError): Effect.Effect<void> {
  return Effect.sync(() => {
    session.facts.update({ type: "remote-failed", error });
    session.changed();
  });
}

/** Run synchronous replica work; a throw stops sync (the data comes first). */
export function onReplica<A>(what: string, f: () => A): Effect.Effect<A, SyncError> {
  return Effect.try({
    try: f,
    catch: (cause) => syncError("replica-failed", `${what}: ${cause instanceof Error ? cause.message : String(cause)}`, cause),
  });
}

/** The stored cursor's seq (0 before the first page). */
export function cursorSeq(replica: SyncableReplica): number {
  return replica.syncCursor()?.seq ?? 0;
}
