/**
 * A plain Promise API over the SyncEngine service, for the app and for code
 * that does not use Effect. The engine runs in its own Scope; `stop()` closes
 * it (ending the session, its subscriptions and the remote) and resolves once
 * nothing touches the replica any more, so the replica may be closed after.
 */
import * as Cause from "effect/Cause";
import * as Effect from "effect/Effect";
import * as Exit from "effect/Exit";
import * as Fiber from "effect/Fiber";
import * as Scope from "effect/Scope";
import * as Stream from "effect/Stream";
import { make, type SyncConfig, type SyncEngineOptions } from "./engine.js";
import type { SyncStatus } from "./status.js";

export interface SyncEngineHandle {
  /** The status now. */
  readonly status: () => SyncStatus;
  /** Calls `listener` with the status now and on every change; returns an unsubscribe. */
  readonly subscribe: (listener: (status: SyncStatus) => void) => () => void;
  readonly enable: () => Promise<void>;
  readonly disable: () => Promise<void>;
  readonly configure: (config: SyncConfig) => Promise<void>;
  readonly switchStream: () => Promise<void>;
  /** Resolves when the outbox is empty and the cursor is at the head; rejects with a SyncError. */
  readonly syncNow: () => Promise<void>;
  readonly stop: () => Promise<void>;
}

export function startSyncEngine(options: SyncEngineOptions): SyncEngineHandle {
  const scope = Effect.runSync(Scope.make());
  const engine = Effect.runSync(Scope.extend(make(options), scope));
  let stopped: Promise<void> | undefined;
  // Status listeners run outside the engine scope (interrupting a fiber forked
  // into a scope from a joiner would leave it running): stop() ends them.
  const listeners = new Set<Fiber.RuntimeFiber<void>>();
  const stopListeners = Effect.suspend(() => Fiber.interruptAll([...listeners]));
  const run = <A, E>(effect: Effect.Effect<A, E>): Promise<A> =>
    Effect.runPromiseExit(effect).then((exit) => {
      if (Exit.isSuccess(exit)) return exit.value;
      throw Cause.squash(exit.cause); // the SyncError itself, not a FiberFailure
    });
  return {
    status: () => Effect.runSync(engine.currentStatus),
    subscribe: (listener) => {
      const fiber = Effect.runFork(engine.status.pipe(Stream.runForEach((s) => Effect.sync(() => listener(s)))));
      listeners.add(fiber);
      return () => {
        listeners.delete(fiber);
        Effect.runFork(Fiber.interrupt(fiber));
      };
    },
    enable: () => run(engine.enable),
    disable: () => run(engine.disable),
    configure: (config) => run(engine.configure(config)),
    switchStream: () => run(engine.switchStream),
    syncNow: () => run(engine.syncNow),
    stop: () => (stopped ??= run(Scope.close(scope, Exit.void).pipe(Effect.zipRight(stopListeners)))),
  };
}
