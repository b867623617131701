import { describe, expect, it } from "vitest";
import { ConvexError } from "convex/values";
import { RemoteError } from "@qc/core/sync";
import { toRemoteError } from "./remote-errors.js";

const refusal = (code: string) => new ConvexError({ code, message: `because ${code}` });

describe("toRemoteError", () => {
  it.each([
    ["token-refused", "token-refused"],
    ["forbidden", "forbidden"],
    ["invalid-op", "invalid-op"],
    ["id-reused", "id-reused"],
    ["clock-ahead", "clock-ahead"],
    ["replica-claimed", "replica-claimed"],
    ["protocol-unsupported", "protocol-unsupported"],
    ["batch-too-large", "invalid-op"],
    ["creation-key-refused", "forbidden"],
    ["invalid-argument", "invalid-op"],
    ["not-found", "invalid-op"],
    ["a-code-from-a-newer-server", "invalid-op"],
  ])("ConvexError code %s is a permanent %s", (code, reason) => {
    const error = toRemoteError(refusal(code), "ops:push");
    expect(error).toMatchObject({ reason, retryable: false });
    expect(error.message).toBe(`ops:push: because ${code}`);
  });

  it.each([
    [
      "Convex",
      "[Request ID: 1] Server Error\nArgumentValidationError: Object contains extra field `protocol` that is not in the validator.",
    ],
    ["convex-test", "Validator error: Unexpected field `protocol` in object"],
  ])(
    "a deployment without the protocol argument (%s's validation error) is a permanent protocol-unsupported: update the deployment",
    (_, message) => {
      const error = toRemoteError(new Error(message), "ops:push");
      expect(error).toMatchObject({ reason: "protocol-unsupported", retryable: false });
      expect(error.message).toMatch(/^ops:push: the deployment predates sync protocol version 2 .*npx convex deploy/);
    },
  );

  it("an OCC write conflict is a retryable write-conflict", () => {
    const error = toRemoteError(new Error("OptimisticConcurrencyControlFailure: Documents read ..."), "ops:push");
    expect(error).toMatchObject({ reason: "write-conflict", retryable: true });
  });

  it("a failure without ConvexError data is retryable unreachable, first line only", () => {
    const error = toRemoteError(new Error("[Request ID: 1] Server Error\nstack"), "ops:pull");
    expect(error).toMatchObject({ reason: "unreachable", retryable: true, message: "ops:pull: [Request ID: 1] Server Error" });
  });

  it("a RemoteError passes through unchanged", () => {
    const original = new RemoteError({ reason: "unreachable", message: "timeout", retryable: true });
    expect(toRemoteError(original, "ops:push")).toBe(original);
  });
});
