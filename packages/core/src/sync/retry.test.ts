import * as Deferred from "effect/Deferred";
import * as Effect from "effect/Effect";
import * as Fiber from "effect/Fiber";
import * as TestClock from "effect/TestClock";
import * as TestContext from "effect/TestContext";
import { describe, expect, it } from "vitest";
import { syncError } from "./errors.js";
import { callRemote, retryTransient } from "./retry.js";

const slow = { baseDelay: "1 hour", maxDelay: "1 hour", requestTimeout: "1 hour" } as const;

describe("retryTransient", () => {
  it("a kick cuts the backoff short; fatal errors are not retried", async () => {
    let attempts = 0;
    const program = Effect.gen(function* () {
      const kick = yield* Deferred.make<void>();
      const flaky = Effect.suspend(() => {
        attempts += 1;
        return attempts < 3 ? Effect.fail(syncError("unreachable")) : Effect.succeed("ok");
      });
      const fiber = yield* Effect.fork(retryTransient(flaky, slow, () => Effect.void, Deferred.await(kick)));
      yield* Effect.yieldNow().pipe(Effect.repeat({ until: () => attempts === 1 }));
      yield* Deferred.succeed(kick, undefined);
      const value = yield* Fiber.join(fiber);
      const fatal = yield* retryTransient(Effect.fail(syncError("token-refused")), slow, () => Effect.void).pipe(Effect.flip);
      return { value, fatal: fatal.reason };
    });
    expect(await Effect.runPromise(program)).toEqual({ value: "ok", fatal: "token-refused" });
    expect(attempts).toBe(3);
  });

  it("a kick never interrupts a call in flight", async () => {
    let attempts = 0;
    const program = Effect.gen(function* () {
      const kick = yield* Deferred.make<void>();
      const gate = yield* Deferred.make<string>();
      const call = Effect.suspend(() => {
        attempts += 1;
        return Deferred.await(gate);
      });
      const fiber = yield* Effect.fork(retryTransient(call, slow, () => Effect.void, Deferred.await(kick)));
      yield* Effect.yieldNow().pipe(Effect.repeat({ until: () => attempts === 1 }));
      yield* Deferred.succeed(kick, undefined);
      yield* Effect.yieldNow();
      yield* Deferred.succeed(gate, "answered");
      return yield* Fiber.join(fiber);
    });
    expect(await Effect.runPromise(program)).toBe("answered");
    expect(attempts).toBe(1);
  });

  it("a call that never answers fails as unreachable (retryable)", async () => {
    // The request timeout runs on the test clock: no real waiting.
    const program = Effect.gen(function* () {
      const fiber = yield* Effect.fork(callRemote("pull", () => new Promise<never>(() => {}), slow).pipe(Effect.flip));
      yield* TestClock.adjust("1 hour");
      return yield* Fiber.join(fiber);
    });
    const error = await Effect.runPromise(program.pipe(Effect.provide(TestContext.TestContext)));
    expect(error).toMatchObject({ reason: "unreachable", retryable: true, message: expect.stringContaining("pull timed out") });
  });
});
