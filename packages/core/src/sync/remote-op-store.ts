/**
 * RemoteOpStore: what the sync engine needs from a remote (docs/design.md §6).
 *
 * Implemented by the in-memory remote (`memory-remote.ts`, for tests) and by
 * ConvexRemote in @qc/convex-backend. Core never imports network code: the
 * remote is only this interface. Methods return Promises so that any
 * transport fits; the engine wraps them in Effects and classifies failures
 * through `RemoteError`.
 */
import * as Data from "effect/Data";
import type { Op } from "../op/op.js";

/** Which stream this is: a replica refuses to mix two of them. */
export interface RemoteIdentity {
  /** Where the stream lives (a deployment URL, or "memory:<name>"); informative. */
  readonly deployment: string;
  readonly project: string;
  /**
   * Random id the server gave this project's stream when it was created. Two
   * deployments (or a project deleted and re-created) never share it, so a
   * replica compares `project` + `stream`, not the URL.
   */
  readonly stream: string;
}

/** An op as delivered by the remote, with its server sequence number. */
export interface RemoteOp {
  readonly seq: number;
  readonly op: unknown; // an Op once decoded: remote data is untrusted until then
  /**
   * Server time (ms since epoch) when the op was stored: when the team could
   * first see it, beside the op's HLC (when it was written). Not part of the
   * op or its hash. Absent for ops stored before servers recorded it.
   */
  readonly receivedAt?: number;
}

export interface PushResult {
  /** Ids acknowledged (newly stored or already stored with the same hash). */
  readonly acked: ReadonlyArray<string>;
  /** Server head after the push. */
  readonly head: number;
}

export interface PullPage {
  /** Ops with seq > `after`, ascending by seq, gapless unless the page is empty. */
  readonly ops: ReadonlyArray<RemoteOp>;
  /** Server head at the time of the pull. */
  readonly head: number;
}

export type ConnectionState = "connected" | "connecting" | "disconnected";

export interface RemoteOpStore {
  readonly identity: () => Promise<RemoteIdentity>;
  /** Idempotent by op id. A whole batch is stored or nothing is. */
  readonly push: (ops: ReadonlyArray<Op>) => Promise<PushResult>;
  readonly pull: (after: number, limit: number) => Promise<PullPage>;
  /** Calls `onHead` with the server head now and whenever it changes. */
  readonly subscribeHead: (onHead: (head: number) => void, onError: (error: unknown) => void) => () => void;
  readonly subscribeConnection: (listener: (state: ConnectionState) => void) => () => void;
  readonly close: () => Promise<void>;
}

/**
 * Every failure a remote reports is one of these (thrown / rejected as a
 * `RemoteError`). `retryable` ones are retried with backoff by the engine;
 * the others stop sync with a status the researcher can act on.
 */
export type RemoteErrorReason =
  | "unreachable" // network down, connection dropped, timeout
  | "write-conflict" // OCC conflict on the server
  | "token-refused" // unknown, revoked, or wrong-project token
  | "forbidden" // e.g. a viewer pushing
  | "invalid-op" // the server refused an op (names it)
  | "id-reused" // same id, different content
  | "clock-ahead" // op HLC too far ahead of the server clock
  | "replica-claimed" // the op's replica id belongs to another member
  | "protocol-unsupported" // the deployment does not serve this qc's protocol version
  | "wrong-stream"; // identity does not match the replica's stream

export class RemoteError extends Data.TaggedError("RemoteError")<{
  readonly reason: RemoteErrorReason;
  readonly message: string;
  readonly retryable: boolean;
  readonly cause?: unknown;
}> {}
