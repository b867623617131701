/**
 * Calling the remote: every call gets a timeout (a request the transport
 * never answers must not stall sync), failures are classified into
 * SyncErrors, and transient ones are retried with capped exponential backoff
 * plus jitter (so many replicas coming back online do not retry in lockstep).
 */
import * as Duration from "effect/Duration";
import * as Effect from "effect/Effect";
import * as Either from "effect/Either";
import * as Schedule from "effect/Schedule";
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
  return Schedule.exponential(options.baseDelay, 2).pipe(Schedule.union(Schedule.spaced(options.maxDelay)), Schedule.jittered);
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
 * back, the researcher pressed "sync now"): the backoff sleep is cut short
 * and the schedule starts again from its first delay. A call in flight is
 * never interrupted by a kick; only the wait between calls is.
 */
export function retryTransient<A, R>(
  effect: Effect.Effect<A, SyncError, R>,
  options: RetryOptions,
  onRetry: (error: SyncError) => Effect.Effect<void>,
  kicked: Effect.Effect<void> = Effect.never,
): Effect.Effect<A, SyncError, R> {
  return Effect.gen(function* () {
    const driver = yield* Schedule.driver(backoff(options));
    for (;;) {
      const result = yield* Effect.either(effect);
      if (Either.isRight(result)) return result.right;
      const error = result.left;
      if (!error.retryable) return yield* Effect.fail(error);
      yield* onRetry(error);
      // `next` sleeps for the schedule's delay; the backoff never ends (capped, forever).
      const sleep = driver.next(error).pipe(
        Effect.as(false),
        Effect.orElseSucceed(() => false),
      );
      const woken = yield* Effect.raceFirst(sleep, kicked.pipe(Effect.as(true)));
      if (woken) yield* driver.reset;
    }
  });
}
