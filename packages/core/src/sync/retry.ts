/**
 * Calling the remote: every call gets a timeout (a request the transport
 * never answers must not stall sync), failures are classified into
 * SyncErrors, and transient ones are retried with capped exponential backoff
 * plus jitter (so many replicas coming back online do not retry in lockstep).
 */
import { Duration, Effect, Schedule } from "effect";
import { fromRemoteFailure, syncError, type SyncError } from "./errors.js";

export interface RetryOptions {
  /** First backoff delay. */
  readonly baseDelay: Duration.DurationInput;
  /** Longest backoff delay. */
  readonly maxDelay: Duration.DurationInput;
  /** A remote call not answered within this is treated as unreachable. */
  readonly requestTimeout: Duration.DurationInput;
}

export const defaultRetryOptions: RetryOptions = {
  baseDelay: "200 millis",
  maxDelay: "30 seconds",
  requestTimeout: "30 seconds",
};

/** Exponential backoff with jitter, capped at `maxDelay`, forever. */
export function backoff(options: RetryOptions): Schedule.Schedule<unknown> {
  return Schedule.exponential(options.baseDelay, 2).pipe(
    Schedule.union(Schedule.spaced(options.maxDelay)),
    Schedule.jittered,
  );
}

/** One remote call as an Effect: timeout + classification, no retry. */
export function callRemote<A>(
  what: string,
  thunk: () => Promise<A>,
  options: RetryOptions,
  ops?: ReadonlyArray<{ readonly hlc: string }>,
): Effect.Effect<A, SyncError> {
  return Effect.tryPromise({
    try: () => thunk(),
    catch: (error) => fromRemoteFailure(error, ops),
  }).pipe(
    Effect.timeoutFail({
      duration: options.requestTimeout,
      onTimeout: () => syncError("unreachable", `${what} timed out after ${Duration.format(options.requestTimeout)}`),
    }),
  );
}

/**
 * Retry `effect` while its error is retryable. `onRetry` sees each transient
 * failure (the engine shows `offline` for unreachable ones).
 *
 * `kicked` completes when waiting is no longer wise (the connection came
 * back, the researcher pressed "sync now"): the backoff is cut short and the
 * call starts afresh with a new schedule, instead of sleeping up to
 * `maxDelay`. Abandoning an in-flight call is safe: every call is idempotent.
 */
export function retryTransient<A, R>(
  effect: Effect.Effect<A, SyncError, R>,
  options: RetryOptions,
  onRetry: (error: SyncError) => Effect.Effect<void>,
  kicked: Effect.Effect<void> = Effect.never,
): Effect.Effect<A, SyncError, R> {
  const attempt = effect.pipe(
    Effect.tapError((error) => (error.retryable ? onRetry(error) : Effect.void)),
    Effect.retry({ schedule: backoff(options), while: (error) => error.retryable }),
    Effect.map((value) => ({ done: true as const, value })),
  );
  const restart = kicked.pipe(Effect.as({ done: false as const }));
  const loop: Effect.Effect<A, SyncError, R> = Effect.raceFirst(attempt, restart).pipe(
    Effect.flatMap((r) => (r.done ? Effect.succeed(r.value) : loop)),
  );
  return loop;
}
