/**
 * AppError: the one error type of the project service (settings, project
 * files, team calls, the sync lease). Like the core errors it carries a
 * `reason` and a message that says what was wrong and what to do. The
 * message never holds a member token.
 */
import * as Data from "effect/Data";

export type AppErrorReason =
  | "invalid-url" // not an http(s) URL that parses
  | "site-url" // a *.convex.site URL (HTTP actions), not the deployment URL
  | "no-project" // no --project / QC_PROJECT given
  | "invalid-setting" // unknown setting or value
  | "invalid-invite" // an invite string that does not decode
  | "invite-mismatch" // qc join --actor names another member than the invite
  | "not-configured" // a team call or sync without a server URL
  | "no-team" // a team call before `qc team create` (no token)
  | "sync-busy" // another process runs the sync engine for this file
  | "sync-timeout" // sync_now did not catch up in time (edits are kept)
  | "invalid-argument"; // any other bad argument (an empty name, a bad role)

export class AppError extends Data.TaggedError("AppError")<{
  readonly reason: AppErrorReason;
  readonly message: string;
  readonly cause?: unknown;
}> {}

export function appError(reason: AppErrorReason, message: string, cause?: unknown): AppError {
  return new AppError({ reason, message, ...(cause === undefined ? {} : { cause }) });
}
