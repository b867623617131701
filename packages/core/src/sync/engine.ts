/**
 * SyncEngine: keeps one replica in sync with one remote op stream
 * (docs/design.md §6). Effect service: interface, tag, `make`, `layer`, and
 * `layerTest` over an in-memory server. Imported as a namespace:
 * `import { SyncEngine } from "@qc/core/sync"` gives `SyncEngine.SyncEngine`
 * (the tag), `SyncEngine.make`, `SyncEngine.layer`, `SyncEngine.layerTest`.
 *
 * Local edits never wait for the network: they land in the replica's log
 * (the outbox) and the engine pushes them when it can. The engine owns at
 * most one session (remote connection) at a time; `disable`, `configure` and
 * `switchStream` end it (closing subscriptions and the remote) and start a
 * new one as needed. Control calls are serialised, so a replica is never
 * touched by two sessions at once.
 *
 * A push the server refuses for good (a viewer's edit, an invalid op) stops
 * only pushing: the session goes on pulling, the status shows the refusal,
 * and the next session (enable / configure / switchStream) pushes again.
 *
 * Status is published by `status-publisher.ts`. `syncNow` counts requests:
 * it resolves once a pull that started after the request reached the head,
 * the outbox is empty and the cursor is at the highest head seen (after a
 * push refusal it fails with it once that pull reached the head).
 */
import * as Cause from "effect/Cause";
import * as Context from "effect/Context";
import * as Effect from "effect/Effect";
import * as Fiber from "effect/Fiber";
import * as Layer from "effect/Layer";
import * as Queue from "effect/Queue";
import * as Stream from "effect/Stream";
import * as SubscriptionRef from "effect/SubscriptionRef";
import type * as Scope from "effect/Scope";
import { syncError, type SyncError } from "./errors.js";
import type { RemoteOpStore } from "./remote-op-store.js";
import { defaultRetryOptions, type RetryOptions } from "./retry.js";
import { runSession, type SessionEnv } from "./run-session.js";
import { cursorSeq, defaultBatchLimits, defaultPageSize, type BatchLimits } from "./session.js";
import { initialFacts, makeFactsRef, type FactsRef, type SyncFacts } from "./facts.js";
import type { SyncStatus } from "./status.js";
import { makeStatusPublisher } from "./status-publisher.js";
import type { SyncableReplica } from "./syncable-replica.js";

export interface SyncEngineOptions {
  readonly replica: SyncableReplica;
  /** Opens a connection to the project's stream; may be set later with `configure`. */
  readonly remote?: (() => RemoteOpStore) | undefined;
  /** How to reach a server given by URL (`configure({ url })`), e.g. ConvexRemote's constructor. */
  readonly connect?: ((url: string) => RemoteOpStore) | undefined;
  /** The server URL, when `connect` is given (same as `configure({ url })`). */
  readonly url?: string | undefined;
  /** The project sync is meant for; must equal the replica's (checked at connect). */
  readonly project?: string | undefined;
  /** Start enabled (default true). */
  readonly enabled?: boolean | undefined;
  readonly batch?: Partial<BatchLimits> | undefined;
  readonly pageSize?: number | undefined;
  readonly retry?: Partial<RetryOptions> | undefined;
  readonly now?: (() => Date) | undefined;
}

export interface SyncConfig {
  readonly remote?: (() => RemoteOpStore) | undefined;
  /** A server URL, opened with the engine's `connect` option. */
  readonly url?: string | undefined;
  readonly project?: string | undefined;
}

export interface SyncEngineService {
  /** The current status and every change after it. */
  readonly status: Stream.Stream<SyncStatus>;
  readonly currentStatus: Effect.Effect<SyncStatus>;
  readonly enable: Effect.Effect<void>;
  /** Stops all network activity; the backlog stays in the outbox. */
  readonly disable: Effect.Effect<void>;
  readonly configure: (config: SyncConfig) => Effect.Effect<void>;
  /** Forget the stored stream (replica.resetSync) and follow the configured remote's. */
  readonly switchStream: Effect.Effect<void, SyncError>;
  /** Succeeds once the outbox is empty and the cursor is at the server head. */
  readonly syncNow: Effect.Effect<void, SyncError>;
}

export class SyncEngine extends Context.Tag("qc/SyncEngine")<SyncEngine, SyncEngineService>() {}

export function layer(options: SyncEngineOptions): Layer.Layer<SyncEngine> {
  return Layer.scoped(SyncEngine, make(options));
}

/** What `layerTest` needs of the in-memory server (`makeMemoryRemote` in `@qc/core/testing`). */
export interface TestServer {
  /** A new client connection, as an engine's remote factory returns. */
  readonly connect: () => RemoteOpStore;
}

/**
 * The engine over an in-memory server, each session on a new connection.
 * Timings are the real defaults: run it under `TestClock` (provide
 * `TestContext.TestContext`) and adjust the clock instead of waiting.
 */
export function layerTest(
  options: Omit<SyncEngineOptions, "remote" | "connect" | "url"> & { readonly server: TestServer },
): Layer.Layer<SyncEngine> {
  const { server, ...rest } = options;
  return layer({ ...rest, remote: () => server.connect() });
}

export function make(options: SyncEngineOptions): Effect.Effect<SyncEngineService, never, Scope.Scope> {
  return Effect.gen(function* () {
    const scope = yield* Effect.scope;
    const { replica } = options;
    const now = options.now ?? (() => new Date());
    const byUrl = (url: string | undefined): (() => RemoteOpStore) | undefined => {
      const connect = options.connect;
      return url === undefined || connect === undefined ? undefined : () => connect(url);
    };
    let factory = options.remote ?? byUrl(options.url);
    let configuredProject = options.project;
    const facts = makeFactsRef(initialFacts(options.enabled ?? true, factory !== undefined));
    const publisher = yield* makeStatusPublisher(facts, replica, now);
    const { changed } = publisher;
    const outboundWake = yield* Queue.sliding<void>(1);
    const inboundWake = yield* Queue.sliding<void>(1);
    const control = yield* Effect.makeSemaphore(1);
    // A counter whose next change ends every retry backoff (reconnect, syncNow).
    const kicks = yield* SubscriptionRef.make(0);
    const kick = (): void => void Effect.runFork(SubscriptionRef.update(kicks, (n) => n + 1));
    const kicked = kicks.changes.pipe(Stream.drop(1), Stream.take(1), Stream.runDrain);
    let requested = 0;
    let completed = 0;
    let session: Fiber.RuntimeFiber<void> | undefined;

    yield* Effect.acquireRelease(
      Effect.sync(() =>
        replica.onLocalOps(() => {
          outboundWake.unsafeOffer(undefined);
          changed();
        }),
      ),
      (unsubscribe) => Effect.sync(unsubscribe),
    );

    const stopSession = Effect.suspend(() => {
      const fiber = session;
      session = undefined;
      return fiber === undefined ? Effect.void : Fiber.interrupt(fiber).pipe(Effect.asVoid);
    });

    const startSession = Effect.suspend(() => {
      facts.update({ type: "session-starting", configured: factory !== undefined });
      changed();
      if (!facts.get().enabled || facts.get().fatal !== undefined) return Effect.void;
      if (factory === undefined) {
        facts.update({ type: "failed", error: syncError("not-configured") });
        return Effect.void;
      }
      const env: SessionEnv = {
        replica,
        facts,
        batch: { ...defaultBatchLimits, ...options.batch },
        pageSize: options.pageSize ?? defaultPageSize,
        retry: { ...defaultRetryOptions, ...options.retry },
        changed,
        wakeInbound: () => void inboundWake.unsafeOffer(undefined),
        requestGeneration: () => requested,
        markCaughtUp: (generation: number) => {
          completed = Math.max(completed, generation);
          facts.update({ type: "caught-up" });
          changed();
        },
        kick,
        kicked,
        factory,
        configuredProject,
        outboundWake,
        inboundWake,
      };
      return Effect.scoped(runSession(env)).pipe(
        Effect.catchAllCause((cause) => Effect.sync(() => recordSessionEnd(facts, cause, changed))),
        Effect.forkIn(scope),
        Effect.tap((fiber) => Effect.sync(() => void (session = fiber))),
        Effect.asVoid,
      );
    });

    const restart = stopSession.pipe(Effect.zipRight(startSession));
    const serially = control.withPermits(1);

    const enable = serially(
      Effect.suspend(() => {
        facts.update({ type: "enabled" });
        return restart;
      }),
    );
    const disable = serially(
      Effect.suspend(() => {
        facts.update({ type: "disabled" });
        return stopSession.pipe(Effect.tap(() => changed()));
      }),
    );
    const configure = (config: SyncConfig) =>
      serially(
        Effect.suspend(() => {
          if (config.url !== undefined && options.connect === undefined) {
            facts.update({
              type: "failed",
              error: syncError("not-configured", "a server URL was given, but this engine was started without `connect`"),
            });
            changed();
            return stopSession;
          }
          const next = config.remote ?? byUrl(config.url);
          if (next !== undefined) factory = next;
          if (config.project !== undefined) configuredProject = config.project;
          facts.update({ type: "fatal-cleared" });
          return restart;
        }),
      );
    const switchStream = serially(
      stopSession.pipe(
        Effect.zipRight(
          Effect.try({
            try: () => replica.resetSync(),
            catch: (cause) => syncError("replica-failed", "resetting the sync state", cause),
          }),
        ),
        Effect.tap(() => Effect.sync(() => void facts.update({ type: "fatal-cleared" }))),
        Effect.zipRight(startSession),
      ),
    );

    const syncNow = Effect.suspend(() => {
      const { enabled, fatal } = facts.get();
      if (!enabled) return Effect.fail(syncError("disabled"));
      if (fatal !== undefined) return Effect.fail(fatal);
      requested += 1;
      const generation = requested;
      outboundWake.unsafeOffer(undefined);
      inboundWake.unsafeOffer(undefined);
      kick();
      const done = Effect.suspend(() => isSynced(facts.get(), replica, completed >= generation));
      return publisher.ticks.pipe(
        Stream.mapEffect(() => done),
        Stream.takeUntil((ok) => ok),
        Stream.runDrain,
      );
    });

    yield* Effect.addFinalizer(() => stopSession);
    yield* serially(startSession);

    return {
      status: publisher.status,
      currentStatus: publisher.current,
      enable,
      disable,
      configure,
      switchStream,
      syncNow,
    } satisfies SyncEngineService;
  });
}

/** A session ended: an interruption is the engine's doing; anything else stops sync with a status. */
function recordSessionEnd(facts: FactsRef, cause: Cause.Cause<SyncError>, changed: () => void): void {
  if (Cause.isInterruptedOnly(cause)) return;
  const failure = Cause.failureOption(cause);
  // A defect is a bug in the engine or a remote: shown loudly, never swallowed.
  const error = failure._tag === "Some" ? failure.value : syncError("protocol", Cause.pretty(cause), Cause.squash(cause));
  facts.update({ type: "failed", error });
  changed();
}

/**
 * What syncNow waits for: nothing to push, nothing to pull, a pull done since
 * it was asked. After a push refusal the pull is still awaited, then the
 * refusal is the answer (the outbox will not empty in this session).
 */
function isSynced(facts: SyncFacts, replica: SyncableReplica, pulledSinceAsked: boolean): Effect.Effect<boolean, SyncError> {
  if (!facts.enabled) return Effect.fail(syncError("disabled"));
  if (facts.fatal !== undefined) return Effect.fail(facts.fatal);
  if (!pulledSinceAsked) return Effect.succeed(false);
  const read = <A>(what: string, f: () => A) => Effect.try({ try: f, catch: (cause) => syncError("replica-failed", what, cause) });
  return Effect.gen(function* () {
    if ((yield* read("reading the sync cursor", () => cursorSeq(replica))) < facts.knownHead) return false;
    if (facts.pushRefused !== undefined) return yield* Effect.fail(facts.pushRefused);
    return (yield* read("reading the outbox", () => replica.outboxSize())) === 0;
  });
}
