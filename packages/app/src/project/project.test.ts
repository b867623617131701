import { CommandError, OpLogError, RemoteError, SyncError } from "@qc/core";
import { describe, expect, it } from "vitest";
import { appError } from "./errors.js";
import { reportError } from "./error-table.js";
import { decodeInvite, encodeInvite } from "./invite.js";
import { maskToken } from "./secret.js";
import { checkConvexUrl } from "./url.js";

describe("the error table", () => {
  it("maps each error type's reasons to an exit code, an MCP code and an HTTP status", () => {
    const rows = [
      [new CommandError({ reason: "invalid-color", message: "m" }), 3, 422],
      [new CommandError({ reason: "not-found", message: "m" }), 3, 404],
      [new OpLogError({ reason: "not-a-replica", message: "m" }), 4, 404],
      [new SyncError({ reason: "unreachable", message: "m", retryable: true }), 5, 503],
      [new SyncError({ reason: "token-refused", message: "m", retryable: false }), 6, 401],
      [new RemoteError("forbidden", "m", false), 6, 403],
      [appError("sync-busy", "m"), 8, 409],
      [appError("site-url", "m"), 3, 400],
      [new Error("boom"), 1, 500],
    ] as const;
    for (const [error, exit, http] of rows) {
      expect(reportError(error)).toMatchObject({ exitCode: exit, httpStatus: http, message: error.message });
    }
    expect(reportError(appError("invalid-url", "m")).mcpCode).toBe(-32602);
    expect(reportError(new Error("x")).error).toBe("Error/unexpected");
  });
});

describe("the Convex URL check", () => {
  it("accepts http(s) URLs that parse and refuses .convex.site with the .convex.cloud hint", () => {
    expect(checkConvexUrl(" http://127.0.0.1:3210 ")).toBe("http://127.0.0.1:3210");
    expect(checkConvexUrl("https://happy-otter-123.convex.cloud")).toBe("https://happy-otter-123.convex.cloud");
    expect(() => checkConvexUrl("127.0.0.1:3210")).toThrow(/must start with http/);
    expect(() => checkConvexUrl("http://")).toThrow(/is not a URL/);
    expect(() => checkConvexUrl("https://a-b-1.convex.site/")).toThrow(/ending in \.convex\.cloud, e\.g\. https:\/\/a-b-1\.convex\.cloud/);
  });
});

describe("secrets", () => {
  it("masks a token to its last four characters", () => {
    expect(maskToken("abcdef0123456789")).toBe("…6789");
    expect(maskToken(undefined)).toBeNull();
  });

  it("an invite round-trips and a damaged one is refused", () => {
    const invite = { url: "http://127.0.0.1:3210", project: "p1", actor: "Ben", token: "t".repeat(64) };
    expect(decodeInvite(encodeInvite(invite))).toEqual(invite);
    expect(() => decodeInvite("qc1.@@@")).toThrow(/not a qc invite/);
    expect(() => decodeInvite(encodeInvite(invite).slice(0, 20))).toThrow(/not a qc invite/);
  });
});
