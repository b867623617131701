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

  it("an OCC write conflict is a retryable write-conflict", () => {
    const error = toRemoteError(new Error("OptimisticConcurrencyControlFailure: Documents read ..."), "ops:push");
    expect(error).toMatchObject({ reason: "write-conflict", retryable: true });
  });

  it("a failure without ConvexError data is retryable unreachable, first line only", () => {
    const error = toRemoteError(new Error("[Request ID: 1] Server Error\nstack"), "ops:pull");
    expect(error).toMatchObject({ reason: "unreachable", retryable: true, message: "ops:pull: [Request ID: 1] Server Error" });
  });

  it("a RemoteError passes through unchanged", () => {
    const original = new RemoteError("unreachable", "timeout", true);
    expect(toRemoteError(original, "ops:push")).toBe(original);
  });
});
