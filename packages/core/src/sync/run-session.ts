/**
 * One sync session: open the remote, check its stream, then run the outbound
 * pusher, the inbound puller and the head watcher side by side until a fatal
 * error (or until the engine interrupts the session; a push refusal stops
 * only the pusher, see outbound.ts). Everything acquired is
 * released when the session's scope closes: subscriptions first, then the
 * remote itself.
 */
import * as Deferred from "effect/Deferred";
import * as Effect from "effect/Effect";
import * as Exit from "effect/Exit";
import type * as Queue from "effect/Queue";
import type * as Scope from "effect/Scope";
import { fromRemoteFailure, syncError, SyncError } from "./errors.js";
import { runInbound } from "./inbound.js";
import { runOutbound } from "./outbound.js";
import type { ConnectionState, RemoteOpStore } from "./remote-op-store.js";
import { callRemote } from "./retry.js";
import { cursorSeq, onReplica, remoteSucceeded, retrying, type SyncSession } from "./session.js";
import { checkStream } from "./stream-check.js";

/** Everything a session gets from the engine. */
export type SessionEnv = Omit<SyncSession, "remote" | "identity"> & {
  /** Cut every retry backoff short (see `kicked`). */
  readonly kick: () => void;
  readonly factory: () => RemoteOpStore;
  readonly configuredProject: string | undefined;
  readonly outboundWake: Queue.Queue<void>;
  readonly inboundWake: Queue.Queue<void>;
};

export function runSession(env: SessionEnv): Effect.Effect<never, SyncError, Scope.Scope> {
  return Effect.gen(function* () {
    const remote = yield* openRemote(env.factory);
    yield* watchConnection(env, remote);
    const base = { ...env, remote, identity: { deployment: "", project: "", stream: "" } };
    const remoteIdentity = yield* retrying(
      base,
      callRemote("identity", () => remote.identity(), env.retry),
    );
    remoteSucceeded(base);
    const cursor = yield* onReplica("reading the sync cursor", () => env.replica.syncCursor());
    const checked = checkStream({
      project: env.replica.project,
      configuredProject: env.configuredProject,
      remote: remoteIdentity,
      cursor,
    });
    if (checked instanceof SyncError) return yield* Effect.fail(checked);
    const session: SyncSession = { ...base, identity: checked };
    env.facts.update({ type: "identified" });
    env.changed();
    wake(env);
    return yield* Effect.all([runOutbound(session, env.outboundWake), runInbound(session, env.inboundWake), watchHead(session)], {
      concurrency: "unbounded",
      discard: true,
    }).pipe(Effect.zipRight(Effect.never));
  });
}

function wake(env: SessionEnv): void {
  env.outboundWake.unsafeOffer(undefined);
  env.inboundWake.unsafeOffer(undefined);
}

function openRemote(factory: () => RemoteOpStore): Effect.Effect<RemoteOpStore, SyncError, Scope.Scope> {
  return Effect.acquireRelease(Effect.try({ try: factory, catch: (cause) => fromRemoteFailure(cause) }), (remote) =>
    Effect.tryPromise(() => remote.close()).pipe(Effect.timeout("5 seconds"), Effect.ignore),
  );
}

/** Connection state feeds the status; a reconnect triggers push and catch-up. */
function watchConnection(env: SessionEnv, remote: RemoteOpStore): Effect.Effect<void, SyncError, Scope.Scope> {
  const listener = (state: ConnectionState): void => {
    const previous = env.facts.get().connection;
    env.facts.update({ type: "connection", state });
    if (state === "connected" && previous !== "connected") {
      wake(env);
      env.kick();
    }
    env.changed();
  };
  return Effect.acquireRelease(
    Effect.try({ try: () => remote.subscribeConnection(listener), catch: (cause) => fromRemoteFailure(cause) }),
    (unsubscribe) => Effect.sync(unsubscribe),
  ).pipe(Effect.asVoid);
}

/** Follow the server head; resubscribe after a transient subscription error. */
function watchHead(session: SyncSession): Effect.Effect<never, SyncError> {
  const once = Effect.scoped(
    Effect.gen(function* () {
      const failed = yield* Deferred.make<never, SyncError>();
      const onHead = (head: number): void => {
        session.facts.update({ type: "head-seen", head });
        // Cheap check first; the cursor read is one indexed SQLite row.
        if (head > safeCursor(session)) session.wakeInbound();
        session.changed();
      };
      const onError = (error: unknown): void => {
        Deferred.unsafeDone(failed, Exit.fail(fromRemoteFailure(error)));
      };
      yield* Effect.acquireRelease(
        Effect.try({ try: () => session.remote.subscribeHead(onHead, onError), catch: (c) => fromRemoteFailure(c) }),
        (unsubscribe) => Effect.sync(unsubscribe),
      );
      return yield* Deferred.await(failed);
    }),
  );
  return retrying(session, once).pipe(Effect.zipRight(Effect.fail(syncError("protocol", "head subscription ended"))));
}

function safeCursor(session: SyncSession): number {
  try {
    return cursorSeq(session.replica);
  } catch {
    return -1; // let the inbound fiber meet (and report) the replica failure
  }
}
