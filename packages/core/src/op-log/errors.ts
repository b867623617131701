/**
 * Typed errors of the op log and the replica facade.
 *
 * One class, a `reason` union, a message that says what failed and what the
 * researcher (or the calling code) can do. Broken invariants are not here:
 * they crash as defects.
 */
import * as Data from "effect/Data";

export type OpLogErrorReason =
  /** `openReplica({ project })` names another project than the file holds. */
  | "project-mismatch"
  /** A sync cursor from another stream (deployment / re-created project). */
  | "wrong-stream"
  /** A sync cursor for another project than this replica's. */
  | "wrong-project"
  /** The file was written by a newer qc (schema version above ours). */
  | "schema-too-new"
  /** The meta table is missing project or replica. */
  | "corrupt-meta"
  /** A local op failed validation: a bug in a command, never user input. */
  | "invalid-local-op"
  /** An option of openReplica is missing or malformed. */
  | "invalid-option"
  /** A time or HLC argument (stateAt, history) could not be read. */
  | "invalid-time"
  /** The path is missing, empty, not SQLite, or a database qc did not create (nothing written to it). */
  | "not-a-replica"
  /** createReplica on a file that already holds data (a project or anything else). */
  | "file-exists";

export class OpLogError extends Data.TaggedError("OpLogError")<{
  readonly reason: OpLogErrorReason;
  readonly message: string;
  readonly cause?: unknown;
}> {}
