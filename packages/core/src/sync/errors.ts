/**
 * SyncError: the one error type of the sync engine.
 *
 * Every failure the engine meets (a remote call, the replica, a refused
 * stream) becomes a SyncError with a `reason`, an actionable `message` (what
 * the researcher can do about it) and the original `cause`. `retryable`
 * errors are retried with backoff and never surface as an `error` status;
 * the others stop sync until the researcher acts (enable / configure /
 * switchStream), except a push refusal, which stops only pushing
 * (`isPushRefusal` in outbound.ts).
 */
import * as Data from "effect/Data";
import { RemoteError, type RemoteErrorReason } from "./remote-op-store.js";

export type SyncErrorReason =
  | RemoteErrorReason
  | "not-configured" // enabled, but no remote has been configured
  | "disabled" // syncNow() while sync is disabled
  | "replica-failed" // the local SQLite replica threw
  | "protocol"; // the remote broke the RemoteOpStore contract

export class SyncError extends Data.TaggedError("SyncError")<{
  readonly reason: SyncErrorReason;
  readonly message: string;
  readonly retryable: boolean;
  readonly cause?: unknown;
}> {}

/** Build a SyncError with the standard message for `reason`. */
export function syncError(reason: SyncErrorReason, detail?: string, cause?: unknown): SyncError {
  return new SyncError({
    reason,
    message: describe(reason, detail),
    retryable: reason === "unreachable" || reason === "write-conflict",
    ...(cause === undefined ? {} : { cause }),
  });
}

/** Classify anything a remote threw or rejected with. */
export function fromRemoteFailure(error: unknown, ops?: ReadonlyArray<{ readonly hlc: string }>): SyncError {
  if (error instanceof SyncError) return error;
  if (error instanceof RemoteError) {
    if (error.reason === "clock-ahead") return syncError("clock-ahead", clockAheadDetail(error, ops), error);
    const e = syncError(error.reason, error.message, error);
    // The remote decides what is transient (e.g. an unreachable that will never heal).
    return error.retryable === e.retryable ? e : new SyncError({ ...e, retryable: error.retryable });
  }
  // Anything else (a transport's own exception) is treated as a network failure.
  return syncError("unreachable", error instanceof Error ? error.message : String(error), error);
}

function describe(reason: SyncErrorReason, detail: string | undefined): string {
  // What happened and what to do first; what the server said last.
  const d = detail === undefined || detail === "" ? "" : ` (server: ${detail})`;
  switch (reason) {
    case "unreachable":
      return `the sync server cannot be reached; edits are kept on this computer and will be sent when the connection returns${d}`;
    case "write-conflict":
      return `the sync server was busy with other writes; retrying${d}`;
    case "token-refused":
      return `the server refused this researcher's token — ask the project owner for a new invite${d}`;
    case "forbidden":
      return `the server refused this change for this researcher's role — ask the project owner for editor access${d}`;
    case "invalid-op":
      return `the server refused an edit as invalid — update qc on this computer, then sync again${d}`;
    case "id-reused":
      return `the server already holds a different edit with the same id — this replica's log conflicts with the project; report this as a bug and keep a copy of the local database${d}`;
    case "replica-claimed":
      return `the server holds edits of another researcher under this project file's replica id — the file was probably copied from their computer; open the project afresh on this computer with your own invite (edits in this copy stay here and are not sent)${d}`;
    case "protocol-unsupported":
      return `this qc and the sync server speak different protocol versions — update qc on this computer, or, if it is current, ask the server's administrator to update the deployment${d}`;
    case "clock-ahead":
      return detail ?? "this computer's clock is ahead of the server's; fix the system clock, then sync again";
    case "wrong-stream":
      return detail ?? "the server holds a different project stream than this replica";
    case "not-configured":
      return `no sync server is configured for this project — configure the project's server URL and sync again${d.replace("server: ", "")}`;
    case "disabled":
      return "sync is disabled on this computer — enable sync first";
    case "replica-failed":
      return `the local project database failed — run verify on the replica; sync stopped to protect the data${d.replace("server: ", "")}`;
    case "protocol":
      return `the sync server answered in an unexpected way — update qc and the server to matching versions${d}`;
  }
}

/**
 * "this computer's clock is 7 minutes ahead of the server; fix the system clock".
 * A remote may attach the server time (ms since epoch) as `serverTime` on the
 * error or its cause; the engine compares it with the refused ops' HLCs.
 */
function clockAheadDetail(error: RemoteError, ops: ReadonlyArray<{ readonly hlc: string }> | undefined): string {
  const serverTime = findServerTime(error) ?? findServerTime(error.cause);
  const newest = ops?.reduce((max, op) => Math.max(max, Date.parse(op.hlc.slice(0, 24))), Number.NEGATIVE_INFINITY);
  if (serverTime !== undefined && newest !== undefined && Number.isFinite(newest)) {
    const minutes = Math.max(1, Math.round((newest - serverTime) / 60_000));
    return `this computer's clock is ${minutes} minute${minutes === 1 ? "" : "s"} ahead of the server; fix the system clock, then sync again`;
  }
  return "this computer's clock is ahead of the server's by more than the allowed drift; fix the system clock, then sync again";
}

function findServerTime(value: unknown): number | undefined {
  if (typeof value !== "object" || value === null || !("serverTime" in value)) return undefined;
  const t = value.serverTime;
  return typeof t === "number" ? t : undefined;
}
