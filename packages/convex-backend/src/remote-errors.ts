/**
 * Every failure of a Convex call, as the `RemoteError` the sync engine
 * classifies (docs/design.md §6). ConvexError codes thrown by /convex are
 * permanent refusals; a dropped connection, a timeout, an HTTP 5xx or an OCC
 * "write conflict" is retryable. A deployment older than the `protocol`
 * argument refuses it in argument validation: that is a permanent
 * `protocol-unsupported` too. A function failing without ConvexError data
 * (a server bug or an internal error) is treated as retryable `unreachable`:
 * the engine backs off, and a fixed deployment resumes sync by itself.
 */
import { RemoteError, type RemoteErrorReason } from "@qc/core/sync";
import type { QcErrorCode } from "@qc/core/op";

/** Reason and retryability for each ConvexError code of /convex. */
const BY_CODE: Record<QcErrorCode, RemoteErrorReason> = {
  "token-refused": "token-refused",
  forbidden: "forbidden",
  "invalid-op": "invalid-op",
  "id-reused": "id-reused",
  // Permanent for now: the op's HLC will not get older. The server's message says by how much it is ahead.
  "clock-ahead": "clock-ahead",
  "replica-claimed": "replica-claimed",
  "batch-too-large": "invalid-op",
  "creation-key-refused": "forbidden",
  "protocol-unsupported": "protocol-unsupported",
  "not-found": "invalid-op",
  "invalid-argument": "invalid-op",
};

/** Convex's and convex-test's argument validation of a function without a `protocol` argument. */
const UNKNOWN_PROTOCOL_ARGUMENT = /(extra|Unexpected) field `protocol`/;

/** Runs one call of a remote: refused once the remote is closed; any failure becomes a RemoteError. */
export async function runConvexCall<T>(name: string, closed: boolean, run: () => Promise<T>): Promise<T> {
  if (closed) throw new RemoteError({ reason: "unreachable", message: `${name}: this remote is closed`, retryable: false });
  try {
    return await run();
  } catch (error) {
    throw toRemoteError(error, name);
  }
}

export function toRemoteError(error: unknown, call: string): RemoteError {
  if (error instanceof RemoteError) return error;
  const data = convexErrorData(error);
  if (data !== undefined) {
    const reason = BY_CODE[data.code as QcErrorCode] ?? "invalid-op";
    return new RemoteError({ reason, message: `${call}: ${data.message}`, retryable: false, cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  if (UNKNOWN_PROTOCOL_ARGUMENT.test(message)) {
    return new RemoteError({
      reason: "protocol-unsupported",
      message: `${call}: the deployment predates sync protocol version 2 (it does not take the protocol argument): ask its administrator to deploy the current qc functions (npx convex deploy)`,
      retryable: false,
      cause: error,
    });
  }
  if (/write conflict|OptimisticConcurrencyControlFailure/i.test(message)) {
    return new RemoteError({
      reason: "write-conflict",
      message: `${call}: write conflict on the server, retry`,
      retryable: true,
      cause: error,
    });
  }
  return new RemoteError({ reason: "unreachable", message: `${call}: ${firstLine(message)}`, retryable: true, cause: error });
}

function convexErrorData(error: unknown): { code: string; message: string } | undefined {
  if (!(error instanceof Error) || error.name !== "ConvexError" || !("data" in error)) return undefined;
  const data = error.data as { code?: unknown; message?: unknown } | null;
  if (data === null || typeof data !== "object" || typeof data.code !== "string") return undefined;
  return { code: data.code, message: typeof data.message === "string" ? data.message : data.code };
}

function firstLine(message: string): string {
  return message.split("\n", 1)[0] ?? message;
}
